package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked-in AutoNAT seed corpora are what {@link AutonatFuzzSeeds} produces today (rerun
 * with {@code -Dweft.fuzz.writeSeeds=true} after a wire change to refresh them).
 */
class AutonatFuzzSeedsTest {
  @Test void checkedInSeedsMatchTodaysEncoding() throws Exception {
    Path root = Path.of("src/test/resources");
    boolean write = Boolean.getBoolean("weft.fuzz.writeSeeds");
    for (Map.Entry<String, Map<String, byte[]>> corpus : AutonatFuzzSeeds.corpora().entrySet()) {
      Path dir = root.resolve(corpus.getKey());
      if (write) Files.createDirectories(dir);
      for (var seed : corpus.getValue().entrySet()) {
        Path f = dir.resolve(seed.getKey());
        if (write && (!Files.exists(f) || !Arrays.equals(Files.readAllBytes(f), seed.getValue()))) Files.write(f, seed.getValue());
        assertThat(f).as("seed %s", f).exists();
        assertThat(Files.readAllBytes(f)).as("seed %s is stale; rerun with -Dweft.fuzz.writeSeeds=true", f).isEqualTo(seed.getValue());
      }
    }
  }
}
