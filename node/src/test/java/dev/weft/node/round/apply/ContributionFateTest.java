package dev.weft.node.round.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.node.round.Decision;
import dev.weft.node.round.apply.ContributionFate.Fate;
import dev.weft.node.round.apply.ContributionFate.Outcome;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.sim.Scenario;
import dev.weft.node.round.sim.SimPeer;
import dev.weft.node.round.sim.SimResult;
import dev.weft.node.round.sim.Simulation;
import dev.weft.node.round.sim.Scenarios;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fates computed from certified data agree between peers and name the real reason. */
class ContributionFateTest {
  static Map<Outcome, Integer> fates(SimResult r, int contributor, int observer) {
    SimPeer obs = r.sim().peers().get(observer);
    PeerKey who = r.sim().peers().get(contributor).key();
    Map<Outcome, Integer> out = new EnumMap<>(Outcome.class);
    for (long round = 1; round < obs.machine().currentRound(); round++) {
      Decision d = obs.machine().decision(round);
      if (d == null) continue;
      Fate f = ContributionFate.of(who, d, obs.machine().decisionSetup(round), obs.machine().membership(), r.sim().reapply(obs, round));
      out.merge(f.outcome(), 1, Integer::sum);
      // Any other honest peer computes the same fate.
      SimPeer other = r.sim().peers().get(observer + 1);
      Decision d2 = other.machine().decision(round);
      if (d2 != null) {
        assertEquals(f, ContributionFate.of(who, d2, other.machine().decisionSetup(round), other.machine().membership(), r.sim().reapply(other, round)));
      }
    }
    return out;
  }

  @Test
  void honestContributionsCount() {
    SimResult r = new Simulation(new Scenario("fate-honest", 30).voters(7).contributors(2).rounds(6)).run();
    Map<Outcome, Integer> f = fates(r, 8, 3);
    assertTrue(f.getOrDefault(Outcome.COUNTED, 0) + f.getOrDefault(Outcome.DOWNWEIGHTED, 0) >= 4, f.toString());
  }

  @Test
  void churnedContributorsWereNotReported() {
    SimResult r = new Simulation(new Scenario("fate-churn", 31).voters(7).contributors(4).rounds(12).churn(0.5)).run();
    Map<Outcome, Integer> f = fates(r, 9, 3);
    assertTrue(f.getOrDefault(Outcome.NOT_REPORTED, 0) > 0, f.toString());
  }

  @Test
  void withheldBlobHasTooFewReports() {
    SimResult r = new Simulation(Scenarios.get("withheld-blob", 13)).run();
    Map<Outcome, Integer> f = fates(r, 7, 3);
    assertTrue(f.getOrDefault(Outcome.TOO_FEW_REPORTS, 0) + f.getOrDefault(Outcome.NOT_REPORTED, 0) >= 4, f.toString());
    assertEquals(0, f.getOrDefault(Outcome.COUNTED, 0), f.toString());
  }
}
