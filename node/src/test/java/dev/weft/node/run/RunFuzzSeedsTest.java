package dev.weft.node.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed corpora of {@link RunManifestFuzzTest}: a valid signed manifest and variations, so the
 * fuzzer starts deep inside the reader. With {@code -Dweft.fuzz.writeSeeds=true} it (re)writes
 * them; otherwise it checks that the checked-in valid seeds still decode.
 */
class RunFuzzSeedsTest {
  static final Path DIR = Path.of("src/test/resources/dev/weft/node/run/RunManifestFuzzTestInputs");

  static Map<String, Map<String, byte[]>> seeds() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    byte[] canonical = ManifestJson.encode(m);
    SignedManifest.Signed s = SignedManifest.sign(m, Manifests.COORDINATOR, 1, 1_900_000_000_000L);
    Map<String, byte[]> canon = new LinkedHashMap<>();
    canon.put("valid", canonical);
    canon.put("spaced", new String(canonical, java.nio.charset.StandardCharsets.UTF_8).replace(",", ", ").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    canon.put("f_too_large", new String(canonical, java.nio.charset.StandardCharsets.UTF_8).replace("\"f\":1", "\"f\":3").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Map<String, byte[]> gossip = new LinkedHashMap<>();
    gossip.put("valid", RunGossip.encode(s));
    byte[] tampered = RunGossip.encode(s);
    tampered[tampered.length - 70] ^= 1;
    gossip.put("tampered", tampered);
    return Map.of("decodeCanonical", canon, "gossipMessage", gossip);
  }

  @Test
  void seedsAreCheckedInAndTheValidOnesDecode() throws Exception {
    if (Boolean.getBoolean("weft.fuzz.writeSeeds")) {
      for (var e : seeds().entrySet()) {
        Files.createDirectories(DIR.resolve(e.getKey()));
        for (var f : e.getValue().entrySet()) Files.write(DIR.resolve(e.getKey()).resolve(f.getKey()), f.getValue());
      }
    }
    assertThat(ManifestJson.decode(Files.readAllBytes(DIR.resolve("decodeCanonical/valid")))).isEqualTo(Manifests.read(Manifests.valid()));
    assertThat(RunGossip.verify(Files.readAllBytes(DIR.resolve("gossipMessage/valid")), 1_800_000_000_000L, dev.weft.p2p.crypto.Keys::unmarshalPublicKey)).isPresent();
    assertThat(RunGossip.verify(Files.readAllBytes(DIR.resolve("gossipMessage/tampered")), 1_800_000_000_000L, dev.weft.p2p.crypto.Keys::unmarshalPublicKey)).isEmpty();
  }
}
