package dev.weft.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.round.VoterSet;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.testnet.TestnetConfig.NodeAt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ChurnSchedule} without a network: reproducible from its seed, every kill rejoined within
 * the run, never below the round protocol's floor of live honest nodes, never in conflict with an
 * explicit kill or join. The random scenarios come from one seeded generator; a failure names the
 * scenario's seed, and {@link #scenario(long)} rebuilds it.
 */
class ChurnScheduleTest {
  static final long GENERATOR_SEED = 20_261_204;
  static final int SCENARIOS = 3_000;

  /** A random scenario from {@code seed}: up to 16 nodes, up to a third of them attackers, explicit kills, rejoins and a newcomer. */
  static ChurnSchedule.Scenario scenario(long seed) {
    Random g = new Random(seed);
    int nodes = 1 + g.nextInt(16), rounds = 2 + g.nextInt(12);
    Set<Integer> byz = new HashSet<>();
    int b = g.nextInt((nodes - 1) / 3 + 1);
    for (int i = nodes - b; i < nodes; i++) byz.add(i);
    List<NodeAt> kills = new ArrayList<>(), joins = new ArrayList<>();
    if (rounds >= 3) {
      for (int i = 0; i < nodes; i++) {
        if (g.nextInt(5) != 0) continue;
        int k = 1 + g.nextInt(rounds - 1);
        kills.add(new NodeAt(i, k));
        if (k < rounds - 1 && g.nextBoolean()) joins.add(new NodeAt(i, k + 1 + g.nextInt(rounds - 1 - k)));
      }
      if (g.nextInt(3) == 0) joins.add(new NodeAt(nodes, 1 + g.nextInt(rounds - 1)));
    }
    return new ChurnSchedule.Scenario(nodes, rounds, byz, kills, joins, 1 + g.nextInt(3));
  }

  @Test void theSameSeedGivesTheSameSchedule() {
    ChurnSchedule.Scenario s = new ChurnSchedule.Scenario(8, 10, Set.of(7), List.of(), List.of(), 1);
    ChurnSchedule a = ChurnSchedule.plan(s, 0.3, 42), b = ChurnSchedule.plan(s, 0.3, 42), c = ChurnSchedule.plan(s, 0.3, 43);
    assertThat(a).isEqualTo(b);
    assertThat(a.kills()).isNotEmpty();
    assertThat(c).as("another seed, another schedule").isNotEqualTo(a);
    for (long seed = 0; seed < 200; seed++) {
      ChurnSchedule.Scenario x = scenario(seed);
      assertThat(ChurnSchedule.plan(x, 0.4, seed)).as("scenario seed %d", seed).isEqualTo(ChurnSchedule.plan(x, 0.4, seed));
    }
  }

  @Test void noChurnPlansNothing() {
    for (long seed = 0; seed < 200; seed++) assertThat(ChurnSchedule.plan(scenario(seed), 0, seed)).as("scenario seed %d", seed).isEqualTo(ChurnSchedule.NONE);
  }

  @Test void everyKillIsRejoinedLaterWithinTheRunAndNoneFallsInTheLastRound() {
    Random g = new Random(GENERATOR_SEED);
    for (int t = 0; t < SCENARIOS; t++) {
      long seed = g.nextLong();
      ChurnSchedule.Scenario s = scenario(seed);
      ChurnSchedule c = ChurnSchedule.plan(s, 0.05 + 0.9 * g.nextDouble(), seed);
      assertThat(c.kills()).as("scenario seed %d", seed).hasSameSizeAs(c.joins());
      for (int i = 0; i < c.kills().size(); i++) {
        NodeAt k = c.kills().get(i), j = c.joins().get(i);
        assertThat(j.node()).as("scenario seed %d: %s", seed, k).isEqualTo(k.node());
        assertThat(k.round()).as("scenario seed %d: %s is not in round 0 nor the last round", seed, k).isBetween(1, s.rounds() - 2);
        assertThat(j.round() - k.round()).as("scenario seed %d: %s back at %s", seed, k, j).isBetween(1, ChurnSchedule.MAX_DOWN_ROUNDS);
        assertThat(j.round()).as("scenario seed %d", seed).isLessThan(s.rounds());
      }
    }
  }

  /** The floor, over many scenarios: no round below max(quorum, minInputs) live honest nodes unless the explicit schedule alone put it there. */
  @Test void churnNeverTakesARoundBelowTheLiveHonestFloor() {
    Random g = new Random(GENERATOR_SEED + 1);
    int churned = 0;
    for (int t = 0; t < SCENARIOS; t++) {
      long seed = g.nextLong();
      ChurnSchedule.Scenario s = scenario(seed);
      ChurnSchedule c = ChurnSchedule.plan(s, 0.05 + 0.9 * g.nextDouble(), seed);
      churned += c.kills().size();
      int[] before = ChurnSchedule.honestLive(s, s.kills(), s.joins());
      int[] after = ChurnSchedule.honestLive(s, c.mergedKills(s.kills()), c.mergedJoins(s.joins()));
      for (int r = 0; r < s.rounds(); r++) {
        assertThat(after[r] >= s.floor(r) || after[r] == before[r])
            .as("scenario seed %d round %d: %d live honest after churn, %d before, floor %d; churn %s / %s", seed, r, after[r], before[r], s.floor(r), c.kills(), c.joins())
            .isTrue();
      }
    }
    assertThat(churned).as("the generator exercises churn").isGreaterThan(SCENARIOS);
  }

  /** Per node the merged kills and joins alternate (kill, join, kill, …), one event per round at most: what the testnet applies without conflict. */
  @Test void churnMergesWithExplicitKillsAndJoinsWithoutConflict() {
    Random g = new Random(GENERATOR_SEED + 2);
    for (int t = 0; t < SCENARIOS; t++) {
      long seed = g.nextLong();
      ChurnSchedule.Scenario s = scenario(seed);
      ChurnSchedule c = ChurnSchedule.plan(s, 0.05 + 0.9 * g.nextDouble(), seed);
      Map<Integer, java.util.TreeMap<Integer, String>> byNode = new HashMap<>();
      for (NodeAt k : c.mergedKills(s.kills())) {
        String old = byNode.computeIfAbsent(k.node(), n -> new java.util.TreeMap<>()).put(k.round(), "kill");
        assertThat(old).as("scenario seed %d: two events for node-%d at round %d", seed, k.node(), k.round()).isNull();
      }
      for (NodeAt j : c.mergedJoins(s.joins())) {
        String old = byNode.computeIfAbsent(j.node(), n -> new java.util.TreeMap<>()).put(j.round(), "join");
        assertThat(old).as("scenario seed %d: two events for node-%d at round %d", seed, j.node(), j.round()).isNull();
      }
      for (Map.Entry<Integer, java.util.TreeMap<Integer, String>> e : byNode.entrySet()) {
        String expect = e.getKey() >= s.nodes() ? "join" : "kill";
        for (String kind : e.getValue().values()) {
          assertThat(kind).as("scenario seed %d: node-%d's events %s", seed, e.getKey(), e.getValue()).isEqualTo(expect);
          expect = kind.equals("kill") ? "join" : "kill";
        }
      }
      // What the testnet itself accepts.
      if (s.rounds() >= 2) {
        new TestnetConfig(s.nodes(), 0, "signflip", c.mergedKills(s.kills()), c.mergedJoins(s.joins()), s.rounds(), 1, "mlp", "mean", null, false, false, 1_000, 10_000);
      }
    }
  }

  @Test void theFloorIsTheRoundProtocolsQuorum() {
    for (int n = 1; n <= 64; n++) {
      List<PeerKey> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[PeerKey.BYTES];
        b[0] = (byte) i;
        keys.add(new PeerKey(b));
      }
      assertThat(ChurnSchedule.quorum(n)).as("n = %d", n).isEqualTo(new VoterSet(keys).quorum());
    }
    // Four honest nodes: quorum 3, so at most one down at a time; with one of them an attacker, none.
    ChurnSchedule four = ChurnSchedule.plan(new ChurnSchedule.Scenario(4, 12, Set.of(), List.of(), List.of(), 1), 0.9, 5);
    int[] live = ChurnSchedule.honestLive(new ChurnSchedule.Scenario(4, 12, Set.of(), List.of(), List.of(), 1), four.kills(), four.joins());
    assertThat(four.kills()).isNotEmpty();
    for (int x : live) assertThat(x).isGreaterThanOrEqualTo(3);
    ChurnSchedule.Scenario withAttacker = new ChurnSchedule.Scenario(4, 12, Set.of(3), List.of(), List.of(), 1);
    assertThat(ChurnSchedule.plan(withAttacker, 0.9, 5).kills()).allMatch(k -> k.node() == 3);
  }
}
