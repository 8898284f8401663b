package dev.weft.p2p.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked-in seed corpora are present and are what the capture produces today: a wire-format
 * change that makes them stale fails here (rerun with {@code -Dweft.fuzz.writeSeeds=true} to
 * refresh them), so CI never replays seeds that no longer reach past the first check.
 */
class FuzzSeedsTest {
  @Test
  void checkedInSeedsMatchTodaysCapture() throws Exception {
    Path root = Path.of("src/test/resources");
    if (Boolean.getBoolean("weft.fuzz.writeSeeds")) FuzzSeedWriter.write(root);
    for (Map.Entry<String, Map<String, byte[]>> corpus : FuzzSeedWriter.corpora().entrySet()) {
      Path dir = root.resolve(corpus.getKey());
      assertThat(dir).as("corpus %s", corpus.getKey()).isDirectory();
      for (var seed : corpus.getValue().entrySet()) {
        Path f = dir.resolve(seed.getKey());
        assertThat(f).as("seed %s", f).exists();
        assertThat(Files.readAllBytes(f)).as("seed %s is stale; rerun with -Dweft.fuzz.writeSeeds=true", f).isEqualTo(seed.getValue());
        assertThat(seed.getValue().length).as("a seed is real traffic, not empty").isPositive();
      }
    }
  }
}
