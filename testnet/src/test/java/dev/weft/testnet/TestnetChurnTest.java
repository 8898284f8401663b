package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.runtime.RoundRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions and churn over loopback TCP, four honest nodes of the small MLP, no clean twin: a
 * network cut 3 | 1 keeps certifying rounds on the side with the quorum (3 of 4) while the cut-off
 * node stalls, and that node replays the rounds it missed once healed; cut 2 | 2, neither side
 * has a quorum and both stall until the heal; churn kills and restarts nodes without ever
 * leaving a round short of its quorum. In every run all honest nodes end on the same θ.
 * Rerun: {@code ./mvnw -o -pl testnet -am test -Dtest=TestnetChurnTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TestnetChurnTest {
  static final long SEED = 11;

  static void log(String line) {
    System.err.println(java.time.LocalTime.now() + " " + line);
  }

  static TestnetConfig base(Path out, int rounds) {
    return new TestnetConfig(4, 0, "signflip", List.of(), List.of(), rounds, SEED, "mlp", "mean", out, false, false, 4_000, 240_000);
  }

  static void assertFinishedAndAgreed(TestnetResult r) {
    assertThat(r.completed()).as("finished: %s (seed %d)", r.failure(), SEED).isTrue();
    assertThat(r.disagreements()).as("rounds where honest θ hashes differ").isEmpty();
    assertThat(r.finalState().agree()).as(r.finalState().line()).isTrue();
    assertThat(r.finalState().nodes()).isEqualTo(4);
    assertThat(r.finalState().round()).isEqualTo(r.config().rounds() - 1);
    for (String node : List.of("node-0", "node-1", "node-2", "node-3")) {
      assertThat(r.records()).as("%s applied the last round", node).anyMatch(x -> x.node().equals(node) && x.round() == r.config().rounds() - 1);
    }
  }

  @Test
  void theSideWithAQuorumGoesOnAndTheCutOffNodeCatchesUpAfterTheHeal(@TempDir Path out) throws Exception {
    TestnetConfig cfg = base(out, 4).withPartitions(List.of(new TestnetConfig.PartitionAt(1, 8, 1)));
    TestnetResult r = Testnet.run(cfg, TestnetChurnTest::log);
    Report.write(Path.of("target/testnet-partition-report"), r, null, "TestnetChurnTest 3|1 partition (seed " + SEED + ")");
    assertFinishedAndAgreed(r);
    TestnetResult.PartitionInfo p = r.partitions().get(0);
    assertThat(p.first()).containsExactly("node-0", "node-1", "node-2");
    assertThat(p.second()).containsExactly("node-3");
    assertThat(p.prediction()).contains("node-0, node-1, node-2 hold 3 of 4 voters (quorum 3): keeps certifying rounds", "node-3 hold 1 of 4 voters (quorum 3): stalls");
    assertThat(p.closed()).as("connections between the sides closed at the split").isGreaterThan(0);
    assertThat(p.crossAfterSplit()).isZero();
    assertThat(p.crossBeforeHeal()).as("no connection formed across while split").isZero();
    assertThat(p.firstSideRounds()).as("the side with the quorum certified rounds while split").isGreaterThan(0);
    assertThat(p.secondSideRounds()).as("the cut-off node certified nothing alone").isZero();
    assertThat(p.redialled()).isEqualTo(p.pairs()).isEqualTo(3);
    assertThat(r.events()).anyMatch(e -> e.kind().equals("partition")).anyMatch(e -> e.kind().equals("heal"))
        .anyMatch(e -> e.kind().equals("catch-up") && e.node().equals("node-3"));
    // node-3 holds every round the others certified, each with the same θ (disagreements() is empty).
    Set<Long> rounds = r.records().stream().filter(x -> x.node().equals("node-3")).map(RoundRecord::round).collect(Collectors.toSet());
    assertThat(rounds).containsAll(Set.of(0L, 1L, 2L, 3L));
  }

  @Test
  void withoutAQuorumOnEitherSideBothStallUntilTheHeal(@TempDir Path out) throws Exception {
    TestnetConfig cfg = base(out, 3).withPartitions(List.of(new TestnetConfig.PartitionAt(1, 6, 0)));
    TestnetResult r = Testnet.run(cfg, TestnetChurnTest::log);
    Report.write(Path.of("target/testnet-halves-report"), r, null, "TestnetChurnTest 2|2 partition (seed " + SEED + ")");
    assertFinishedAndAgreed(r);
    TestnetResult.PartitionInfo p = r.partitions().get(0);
    assertThat(p.first()).containsExactly("node-0", "node-1");
    assertThat(p.second()).containsExactly("node-2", "node-3");
    assertThat(p.prediction()).contains("every side stalls");
    assertThat(p.closed()).isGreaterThan(0);
    assertThat(p.crossAfterSplit()).isZero();
    assertThat(p.crossBeforeHeal()).isZero();
    assertThat(p.firstSideRounds()).as("no quorum: nothing certified while split").isZero();
    assertThat(p.secondSideRounds()).isZero();
    assertThat(r.roundsApplied()).isEqualTo(3);
  }

  @Test
  void churnKillsAndRestartsNodesAndEveryRoundIsCertified(@TempDir Path out) throws Exception {
    TestnetConfig cfg = base(out, 5).withChurn(0.5);
    ChurnSchedule plan = Testnet.churnOf(cfg);
    assertThat(plan.kills()).as("seed %d plans churn", SEED).isNotEmpty();
    TestnetResult r = Testnet.run(cfg, TestnetChurnTest::log);
    Report.write(Path.of("target/testnet-churn-report"), r, null, "TestnetChurnTest churn 0.5 (seed " + SEED + ")");
    assertThat(r.completed()).as("finished: %s (seed %d)", r.failure(), SEED).isTrue();
    assertThat(r.disagreements()).isEmpty();
    assertThat(r.roundsApplied()).isEqualTo(5);
    assertThat(r.finalState().agree()).as(r.finalState().line()).isTrue();
    assertThat(r.finalState().nodes()).isEqualTo(4);
    assertThat(r.finalState().round()).isEqualTo(r.config().rounds() - 1);
    assertThat(r.stateChecks()).as("each restarted node kept the contribution record it held when killed").isNotEmpty()
        .noneMatch(s -> s.contains("LOST"));
    for (TestnetConfig.NodeAt k : plan.kills()) {
      assertThat(r.events()).anyMatch(e -> e.kind().equals("kill") && e.node().equals("node-" + k.node()) && e.round() == k.round());
    }
    for (TestnetConfig.NodeAt j : plan.joins()) {
      assertThat(r.events()).anyMatch(e -> e.kind().equals("rejoin") && e.node().equals("node-" + j.node()) && e.round() == j.round());
    }
    // Every round was certified with at most one node down (the floor for 4 voters is 3).
    for (long round = 0; round < 5; round++) {
      long rr = round;
      assertThat(r.records().stream().filter(x -> x.round() == rr).map(RoundRecord::node).distinct().count()).as("round %d", round).isGreaterThanOrEqualTo(3);
    }
  }
}
