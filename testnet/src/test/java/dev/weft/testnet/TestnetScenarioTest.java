package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.aggregation.Verdict;
import dev.weft.node.runtime.RoundRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short CI scenario: 5 volunteers over loopback TCP, one of them Byzantine (sign flip, −4× its
 * update), node-1 killed in round 2 and restarted from its directory in round 4, against a clean
 * run with the same seed. Rerun: {@code ./mvnw -o -pl testnet test -Dtest=TestnetScenarioTest}.
 */
class TestnetScenarioTest {
  static final long SEED = 7;

  static TestnetConfig scenario(Path out, String rule) {
    return new TestnetConfig(5, 1, "signflip", List.of(new TestnetConfig.NodeAt(1, 2)), List.of(new TestnetConfig.NodeAt(1, 4)),
        6, SEED, "mlp", rule, out, false, true, 60_000, 400_000);
  }

  static void log(String line) {
    System.err.println(java.time.LocalTime.now() + " " + line);
  }

  // This scenario failed with the stand-in leader-sealed driver (a rejoined node diverged in rounds
  // 4-5 at low load); with RoundMachine every applied state is the certified root.
  @Test
  void robustRuleHoldsTheAttackAndHonestNodesAgreeEveryRound(@TempDir Path out) throws Exception {
    Testnet.Outcome o = Testnet.runWithClean(scenario(out, "centered-clip"), TestnetScenarioTest::log);
    TestnetResult r = o.result();
    Report.write(Path.of("target/testnet-report"), r, o.clean(), "TestnetScenarioTest (seed " + SEED + ")");
    assertThat(r.completed()).as("finished: %s (seed %d)", r.failure(), SEED).isTrue();
    assertThat(r.roundsApplied()).isEqualTo(6);
    assertThat(r.disagreements()).as("rounds where honest θ hashes differ").isEmpty();
    // Every round each honest node that was alive applied it, the rejoined one included from its return.
    for (long round = 0; round < 6; round++) {
      long rr = round;
      List<String> nodes = r.records().stream().filter(x -> x.round() == rr && r.isHonest(x.node())).map(RoundRecord::node).toList();
      assertThat(nodes).as("honest nodes applying round %d", round).contains("node-0", "node-2", "node-3");
      if (round == 0 || round == 1 || round >= 5) assertThat(nodes).as("round %d", round).contains("node-1");
    }
    assertThat(r.events()).anyMatch(e -> e.kind().equals("rejoin") && e.node().equals("node-1"));
    assertThat(r.stateChecks()).singleElement().satisfies(s -> assertThat(s).contains("kept"));
    // The attacker was sealed and never counted at full weight.
    Map<Verdict, Integer> attacker = r.verdictCounts().get("node-4");
    assertThat(attacker).isNotNull();
    assertThat(attacker.getOrDefault(Verdict.ACCEPTED, 0)).isZero();
    assertThat(attacker.getOrDefault(Verdict.DOWNWEIGHTED, 0) + attacker.getOrDefault(Verdict.REJECTED, 0)).isGreaterThanOrEqualTo(5);
    Verdicts v = Verdicts.of(o.result(), o.clean());
    // The clean twin has 5 honest contributors every round; here 4 (3 while node-1 is away), so a
    // perfect defence still trails it a little: 5.3% was measured (seed 7).
    assertThat(v.relativeGap()).as("final loss vs clean: %s", v.line()).isLessThan(0.08);
    assertThat(r.finalLoss()).isLessThan(r.loss().firstEntry().getValue() - 0.3);
  }

  @Test
  void theSameAttackHurtsThePlainMean(@TempDir Path out) throws Exception {
    TestnetConfig base = new TestnetConfig(5, 1, "signflip", List.of(), List.of(), 6, SEED, "mlp", "mean", out, false, true, 60_000, 400_000);
    Testnet.Outcome o = Testnet.runWithClean(base, TestnetScenarioTest::log);
    assertThat(o.result().completed()).isTrue();
    assertThat(o.result().disagreements()).isEmpty();
    Verdicts v = Verdicts.of(o.result(), o.clean());
    assertThat(v.relativeGap()).as("the mean under attack must end clearly worse: %s", v.line()).isGreaterThan(0.15);
  }

  @Test
  void anEquivocatingPeerIsBannedOnCertifiedEvidenceAndNoLongerSealed(@TempDir Path out) throws Exception {
    TestnetConfig cfg = new TestnetConfig(5, 1, "equivocate", List.of(), List.of(), 5, SEED, "mlp", "centered-clip", out, false, false, 60_000, 400_000);
    TestnetResult r = Testnet.run(cfg, TestnetScenarioTest::log);
    Report.write(Path.of("target/testnet-ban-report"), r, null, "TestnetScenarioTest equivocate (seed " + SEED + ")");
    assertThat(r.completed()).as("finished: %s (seed %d)", r.failure(), SEED).isTrue();
    assertThat(r.disagreements()).isEmpty();
    assertThat(r.bans()).as("bans").singleElement().satisfies(b -> {
      assertThat(b.label()).isEqualTo("node-4");
      assertThat(b.evidence()).contains("two conflicting signed contributions");
    });
    long bannedAt = r.bans().get(0).round();
    String attacker = r.node("node-4").peerId();
    // Every honest node applied the same ban in the same round (it is part of the certified value).
    for (RoundRecord rec : r.records()) {
      if (!r.isHonest(rec.node())) continue;
      boolean bans = rec.banned().stream().anyMatch(b -> b.peer().equals(attacker));
      assertThat(bans).as("%s round %d", rec.node(), rec.round()).isEqualTo(rec.round() == bannedAt);
      if (rec.round() > bannedAt) assertThat(rec.fateOf(attacker)).as("attacker sealed after its ban, round %d", rec.round()).isNull();
    }
    assertThat(Verdicts.of(r, null).line()).contains("banned on certified evidence (node-4 at round " + bannedAt + ")");
  }
}
