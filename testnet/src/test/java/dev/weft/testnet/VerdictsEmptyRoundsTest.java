package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aggregation.Verdict;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.runtime.RunSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A round sealed with no contribution leaves θ unchanged, so honest nodes "agree" on it whatever
 * went wrong: the verdict names such rounds, and a run of nothing but them did not train (the NAT
 * testnet's first run, whose contributions never crossed the relays, read as a success before).
 */
class VerdictsEmptyRoundsTest {
  static TestnetResult run(boolean... sealedWithContributions) {
    TestnetConfig cfg = new TestnetConfig(2, 0, "signflip", List.of(), List.of(), sealedWithContributions.length, 1, "mlp", "mean", Path.of("out"), false,
        false, 30_000, 60_000);
    List<RoundRecord> records = new ArrayList<>();
    for (int round = 0; round < sealedWithContributions.length; round++) {
      for (String node : List.of("node-0", "node-1")) {
        List<RoundRecord.Fate> fates = sealedWithContributions[round]
            ? List.of(new RoundRecord.Fate("peer-0", Verdict.ACCEPTED, 0.5, ""), new RoundRecord.Fate("peer-1", Verdict.ACCEPTED, 0.5, ""))
            : List.of();
        records.add(new RoundRecord(node, round, "theta" + round, "", "", "", fates, null, Double.NaN, 0, 0, 0, true, 0, 0, 0, 0, List.of()));
      }
    }
    List<TestnetResult.NodeInfo> nodes = List.of(new TestnetResult.NodeInfo("node-0", "peer-0", false, 0, 0, 0, 0, 0, 0, null),
        new TestnetResult.NodeInfo("node-1", "peer-1", false, 0, 0, 0, 0, 0, 0, null));
    TreeMap<Long, Double> loss = new TreeMap<>();
    loss.put((long) sealedWithContributions.length, 2.0);
    return new TestnetResult(cfg, RunSpec.small("t", "mlp", 1, sealedWithContributions.length), nodes, records, List.of(), loss, new TreeMap<>(), new TreeMap<>(),
        true, null, List.of(), 1, List.of(), null);
  }

  @Test
  void aRunOfEmptyRoundsDidNotTrain() {
    Verdicts v = Verdicts.of(run(false, false, false), null);
    assertThat(v.trained()).isFalse();
    assertThat(v.emptyRounds()).containsExactly(0L, 1L, 2L);
    assertThat(v.line()).contains("DID NOT TRAIN: no round included a contribution");
  }

  @Test
  void someEmptyRoundsAreNamedButTheRunTrained() {
    Verdicts v = Verdicts.of(run(false, true, true), null);
    assertThat(v.trained()).isTrue();
    assertThat(v.emptyRounds()).containsExactly(0L);
    assertThat(v.line()).contains("; 1 round sealed with no contribution [0]").doesNotContain("DID NOT TRAIN");
  }

  @Test
  void everyRoundWithContributionsSaysNothingOfEmptyRounds() {
    Verdicts v = Verdicts.of(run(true, true), null);
    assertThat(v.trained()).isTrue();
    assertThat(v.emptyRounds()).isEmpty();
    assertThat(v.line()).doesNotContain("no contribution");
  }
}
