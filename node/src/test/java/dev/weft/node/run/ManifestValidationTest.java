package dev.weft.node.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every invalid field, one case each, with the field it blames and its message. */
class ManifestValidationTest {
  static ObjectNode t(ObjectNode root, String table) {
    return (ObjectNode) root.get(table);
  }

  static Arguments bad(String field, String message, Consumer<ObjectNode> breakIt) {
    return Arguments.of(field, message, breakIt);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("name", "is not a run name", r -> r.put("name", "Tiny Shakespeare!")),
        bad("name", "required", r -> r.remove("name")),
        bad("coordinator", "is not a peer id", r -> r.put("coordinator", "alice")),
        bad("format", "reads manifest format 1, not 2", r -> r.put("format", 2)),
        bad("colour", "unknown setting", r -> r.put("colour", "blue")),
        bad("model.spec", "unknown model 'gpt-huge'", r -> t(r, "model").put("spec", "gpt-huge")),
        bad("model.seed", "must be a whole number", r -> t(r, "model").put("seed", 1.5)),
        bad("model.checkpoint", "not a blob CID", r -> t(r, "model").put("checkpoint", "nope")),
        bad("model.checkpoint", "required", r -> t(r, "model").remove("checkpoint")),
        bad("model.colour", "unknown setting", r -> t(r, "model").put("colour", 1)),
        bad("data.shards", "at least one data shard", r -> t(r, "data").putArray("shards")),
        bad("data.shards[1]", "not a blob CID", r -> ((com.fasterxml.jackson.databind.node.ArrayNode) t(r, "data").get("shards")).set(1, "QmNope")),
        bad("data.shards[1]", "listed twice", r -> ((com.fasterxml.jackson.databind.node.ArrayNode) t(r, "data").get("shards")).set(1, t(r, "data").get("shards").get(0))),
        bad("data.shards_per_peer", "5 shards per peer, but the run has 4", r -> t(r, "data").put("shards_per_peer", 5)),
        bad("training.inner_steps", "out of range [1, 100000]", r -> t(r, "training").put("inner_steps", 0)),
        bad("training.inner_steps", "required", r -> t(r, "training").remove("inner_steps")),
        bad("training.rounds", "must be a whole number", r -> t(r, "training").put("rounds", "many")),
        bad("training.checkpoint_every", "never comes in a run of 50", r -> t(r, "training").put("checkpoint_every", 51)),
        bad("training.batch_rows", "out of range", r -> t(r, "training").put("batch_rows", 100_000)),
        bad("inner.optimizer", "not an inner optimizer", r -> t(r, "inner").put("optimizer", "lion")),
        bad("inner.lr", "must be positive", r -> t(r, "inner").put("lr", -0.1)),
        bad("inner.lr", "required", r -> t(r, "inner").remove("lr")),
        bad("inner.beta1", "must be in [0, 1)", r -> t(r, "inner").put("beta1", 1.0)),
        bad("inner.beta2", "must be in [0, 1)", r -> t(r, "inner").put("beta2", -0.5)),
        bad("inner.weight_decay", "must be 0 or more", r -> t(r, "inner").put("weight_decay", -1)),
        bad("inner.clip_norm", "must be a number", r -> t(r, "inner").put("clip_norm", "off")),
        bad("inner.warmup_steps", "longer than the run", r -> t(r, "inner").put("warmup_steps", 5000)),
        bad("outer.optimizer", "not an outer optimizer", r -> t(r, "outer").put("optimizer", "adam")),
        bad("outer.lr", "must be positive", r -> t(r, "outer").put("lr", 0)),
        bad("outer.momentum", "must be in [0, 1)", r -> t(r, "outer").put("momentum", 1.2)),
        bad("outer.momentum", "sgd takes no momentum", r -> t(r, "outer").put("optimizer", "sgd")),
        bad("aggregation.rule", "unknown aggregation rule", r -> t(r, "aggregation").put("rule", "vote")),
        bad("aggregation.rule", "krum:1 is built for 1 Byzantine inputs, but aggregation.f = 2",
            r -> { t(r, "aggregation").put("rule", "krum:1").put("f", 2); t(r, "round").put("quorum", 5).put("min_contributions", 7); }),
        bad("aggregation.f", "the mean tolerates no Byzantine contribution", r -> t(r, "aggregation").put("rule", "mean")),
        bad("aggregation.f", "f = 2 is too large for round.quorum = 3", r -> { t(r, "aggregation").put("f", 2); t(r, "round").put("min_contributions", 5); }),
        bad("aggregation.f", "at least 2f+1 = 5 per round, but round.min_contributions = 4",
            r -> { t(r, "aggregation").put("f", 2); t(r, "round").put("quorum", 5).put("min_contributions", 4); }),
        bad("aggregation.f", "trims 0 of 3 contributions from each end, fewer than f = 1", r -> t(r, "aggregation").put("rule", "trimmed-mean:0.1")),
        bad("aggregation.f", "out of range", r -> t(r, "aggregation").put("f", -1)),
        bad("aggregation.codec", "unknown codec", r -> t(r, "aggregation").put("codec", "zip")),
        bad("aggregation.codec", "coordinate-wise rule median", r -> t(r, "aggregation").put("rule", "median").put("codec", "topk:0.1")),
        bad("round.min_contributions", "needs at least 5 inputs", r -> { t(r, "aggregation").put("rule", "krum:1"); }),
        bad("round.min_contributions", "can never come from limits.max_peers = 2", r -> t(r, "limits").put("max_peers", 2)),
        bad("round.quorum", "can never be gathered from round.max_voters = 2", r -> t(r, "round").put("max_voters", 2)),
        bad("round.quorum", "required", r -> t(r, "round").remove("quorum")),
        bad("round.max_voters", "out of range", r -> t(r, "round").put("max_voters", 0)),
        bad("admission.policy", "is not a policy", r -> t(r, "admission").put("policy", "closed")),
        bad("admission.allow", "with nobody on the list", r -> t(r, "admission").put("policy", "allowlist")),
        bad("admission.allow", "an open run takes anyone", r -> t(r, "admission").putArray("allow").add(Manifests.COORDINATOR_ID.toBase58())),
        bad("admission.allow[0]", "is not a peer id", r -> t(r, "admission").put("policy", "allowlist").putArray("allow").add("bob")),
        bad("admission.voter_tenure_rounds", "out of range", r -> t(r, "admission").put("voter_tenure_rounds", -3)),
        bad("limits.max_contribution_bytes", "takes", r -> t(r, "limits").put("max_contribution_bytes", 2048)),
        bad("limits.max_peers", "out of range", r -> t(r, "limits").put("max_peers", 0)),
        bad("limits.round_timeout_ms", "out of range", r -> t(r, "limits").put("round_timeout_ms", 10)),
        bad("training", "must be a table", r -> r.put("training", 3)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalid")
  void everyInvalidFieldIsNamedWithItsReason(String field, String message, Consumer<ObjectNode> breakIt) {
    ObjectNode root = Manifests.valid();
    breakIt.accept(root);
    assertThatThrownBy(() -> Manifests.read(root)).isInstanceOfSatisfying(InvalidManifestException.class, e -> {
      List<ManifestProblem> p = e.problems();
      assertThat(p).as(e.getMessage()).anySatisfy(x -> {
        assertThat(x.field()).isEqualTo(field);
        assertThat(x.message()).contains(message);
      });
    });
  }

  @Test
  void theValidManifestReadsAndEveryProblemIsReportedAtOnce() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    assertThat(m.id()).isEqualTo(Manifests.COORDINATOR_ID.toBase58() + "/tiny-shakespeare");
    assertThat(m.inner().beta2()).isEqualTo(0.95);
    ObjectNode root = Manifests.valid();
    t(root, "inner").put("lr", -1);
    t(root, "outer").put("lr", -1);
    root.put("name", "");
    assertThatThrownBy(() -> Manifests.read(root)).isInstanceOfSatisfying(InvalidManifestException.class,
        e -> assertThat(e.problems()).extracting(ManifestProblem::field).contains("inner.lr", "outer.lr", "name"));
  }

  @Test
  void canonicalJsonRoundTripsAndRefusesOtherEncodings() throws Exception {
    RunManifest m = Manifests.read(Manifests.valid());
    byte[] bytes = ManifestJson.encode(m);
    assertThat(ManifestJson.decode(bytes)).isEqualTo(m);
    assertThat(bytes.length).isLessThan(ManifestJson.MAX_BYTES);
    byte[] spaced = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace(",", ", ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ManifestJson.decode(spaced)).hasMessageContaining("canonical");
  }
}
