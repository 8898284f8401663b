package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.blocks.BlobId;
import dev.weft.node.run.ManifestReader;
import dev.weft.node.run.RunManifest;
import dev.weft.node.train.ModelSpecs;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestRunSpecTest {
  static final float[] THETA = ModelSpecs.parse("gpt-micro").initialParameters(1);

  static String id(int seed) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(seed).publicKey()).toBase58();
  }

  static String blob(int b) {
    byte[] d = new byte[32];
    d[0] = (byte) b;
    return BlobId.fromDigest(d).toString();
  }

  /** A manifest with {@code n} allowlisted peers (or open admission when n is 0). */
  static RunManifest manifest(int n, int quorum, int min) throws Exception {
    return manifest(n, quorum, min, "{\"lr\":0.001}");
  }

  static RunManifest manifest(int n, int quorum, int min, String inner) throws Exception {
    List<String> allow = new ArrayList<>();
    for (int i = 0; i < n; i++) allow.add("\"" + id(700 + i) + "\"");
    String admission = n == 0 ? "{\"policy\":\"open\"}" : "{\"policy\":\"allowlist\",\"allow\":[" + String.join(",", allow) + "]}";
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree("""
        {"name":"spec-test","coordinator":"%s","model":{"spec":"gpt-micro","seed":1,"checkpoint":"%s"},
         "data":{"shards":["%s"]},"training":{"inner_steps":5,"rounds":10,"checkpoint_every":5},"inner":%s,
         "outer":{"optimizer":"nesterov","lr":0.6,"momentum":0.8},
         "aggregation":{"rule":"centered-clip","f":1},"round":{"quorum":%d,"min_contributions":%d},
         "admission":%s,"limits":{"round_timeout_ms":20000}}
        """.formatted(id(699), blob(1), blob(2), inner, quorum, min, admission));
    return ManifestReader.read(root);
  }

  @Test void anAllowlistedRunBecomesTheRuntimesSpec() throws Exception {
    RunManifest m = manifest(4, 3, 3);
    assertThat(ManifestRunSpec.check(m)).isNull();
    RunSpec s = ManifestRunSpec.of(m, THETA);
    assertThat(s.members()).extracting(RunSpec.Member::peer).containsExactly(id(700), id(701), id(702), id(703));
    assertThat(s.members()).allSatisfy(x -> assertThat(x.fromRound()).isZero());
    assertThat(s.outerLr()).isEqualTo(0.6);
    assertThat(s.outerMomentum()).isEqualTo(0.8);
    assertThat(s.cutoffMillis()).isEqualTo(20_000);
    assertThat(s.viewTimeoutMillis()).isEqualTo(5_000);
    assertThat(s.minContributions()).isEqualTo(3);
    assertThat(s.initialHash()).isEqualTo(ParameterHash.hex(THETA));
  }

  @Test void runsTheRuntimeCannotTrainAreRefusedWithTheReason() throws Exception {
    RunManifest open = manifest(0, 3, 3);
    assertThat(ManifestRunSpec.check(open)).contains("admits anyone");
    assertThatThrownBy(() -> ManifestRunSpec.of(open, THETA)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowlist");
    // Four voters tolerate f = 1, so at most n − f = 3 of them can be asked to seal a round.
    assertThat(ManifestRunSpec.check(manifest(4, 4, 3))).contains("quorum of 4").contains("give 3");
    assertThat(ManifestRunSpec.check(manifest(4, 3, 5))).contains("5 contributions per round from 4 allowed peers");
  }

  @Test void theManifestsInnerOptimizerReachesTheTrainer() throws Exception {
    RunManifest m = manifest(4, 3, 3, "{\"lr\":0.001,\"beta1\":0.8,\"beta2\":0.99,\"weight_decay\":0.01,\"clip_norm\":0.5,\"warmup_steps\":7}");
    RunSpec s = ManifestRunSpec.of(m, THETA);
    dev.weft.node.train.AdamWConfig a = s.inner();
    assertThat(List.of(a.beta1(), a.beta2(), a.weightDecay(), a.clipNorm())).containsExactly(0.8, 0.99, 0.01, 0.5);
    assertThat(a.schedule().warmupSteps()).isEqualTo(7);
    assertThat(a.schedule().peak()).isEqualTo(0.001);
    // It survives the spec's own JSON form (what the testnet publishes in the DHT).
    assertThat(new ObjectMapper().treeToValue(s.toJson(), RunSpec.class).inner()).isEqualTo(a);
  }

  @Test void withTheManifestsDefaultsTheInnerOptimizerIsDiLoCosAndTheWarmupAutomatic() throws Exception {
    RunSpec s = ManifestRunSpec.of(manifest(4, 3, 3), THETA);
    assertThat(s.innerOptimizer()).isEqualTo(RunSpec.InnerOptimizer.DEFAULT);
    // 10 rounds of 5 inner steps: a tenth of 50.
    assertThat(s.inner().schedule().warmupSteps()).isEqualTo(5);
    assertThat(s.inner().weightDecay()).isEqualTo(0.1);
  }

  @Test void aSpecEncodedBeforeTheInnerOptimizerExistedDecodesToTheDefaults() throws Exception {
    RunSpec s = ManifestRunSpec.of(manifest(4, 3, 3), THETA);
    ObjectNode j = s.toJson();
    j.remove("innerOptimizer");
    RunSpec old = new ObjectMapper().treeToValue(j, RunSpec.class);
    assertThat(old.innerOptimizer()).isEqualTo(RunSpec.InnerOptimizer.DEFAULT);
  }
}
