package dev.weft.node.round.sim;

import dev.weft.node.round.msg.pb.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The scenarios of issue 12 by name, for the JUnit tests (fixed fast seeds) and for {@code weft
 * bench round --scenario NAME --seed S} (reruns and seed sweeps). Peers 0..voters-1 vote.
 */
public final class Scenarios {
  private Scenarios() {}

  private static final Map<String, LongFunction<Scenario>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("honest", s -> new Scenario("honest", s).voters(7).contributors(3).rounds(10));
    ALL.put("partition-70-30", s -> split(new Scenario("partition-70-30", s).voters(10).contributors(2).rounds(14), 7, 10_000, 40_000));
    ALL.put("partition-50-50", s -> split(new Scenario("partition-50-50", s).voters(10).contributors(2).rounds(10), 5, 10_000, 30_000));
    ALL.put("partition-prevote-precommit", Scenarios::partitionBetweenVotes);
    for (Kind k : List.of(Kind.REPORT, Kind.PROPOSAL, Kind.PREVOTE, Kind.PRECOMMIT, Kind.SEAL_CERTIFICATE)) {
      String name = "leader-crash-before-" + k.name().toLowerCase().replace('_', '-');
      ALL.put(name, s -> leaderCrash(new Scenario(name, s), k, 1));
    }
    ALL.put("leader-crash-twice", s -> leaderCrash(new Scenario("leader-crash-twice", s), Kind.PROPOSAL, 2));
    ALL.put("vanish-40", Scenarios::vanish40);
    ALL.put("equivocating-leader", s -> {
      Adversaries.Coalition c = new Adversaries.Coalition();
      return new Scenario("equivocating-leader", s).voters(7).contributors(2).rounds(8).coalition(c)
          .behaviour(0, Adversaries.equivocatingLeader(c, false)).behaviour(1, Adversaries.equivocatingLeader(c, false));
    });
    ALL.put("equivocating-voter", s -> new Scenario("equivocating-voter", s).voters(7).contributors(2).rounds(6)
        .behaviour(1, Adversaries.equivocatingVoter()));
    ALL.put("equivocating-contributor", s -> new Scenario("equivocating-contributor", s).voters(7).contributors(2).rounds(6)
        .behaviour(7, Adversaries.equivocatingContributor()));
    ALL.put("undecodable-blob", s -> new Scenario("undecodable-blob", s).voters(7).contributors(2).rounds(8)
        .behaviour(7, Adversaries.undecodableContributor()));
    ALL.put("undecodable-blob-unbanned", s -> new Scenario("undecodable-blob-unbanned", s).voters(7).contributors(2).rounds(8)
        .behaviour(7, Adversaries.undecodableContributor()).malformedBans(false));
    // Restarts from disk; the undecodable contributor makes the restored membership carry a ban.
    ALL.put("restart", s -> new Scenario("restart", s).voters(7).contributors(2).rounds(12)
        .behaviour(7, Adversaries.undecodableContributor()).restart(3, 12_000, 8_000));
    ALL.put("restart-after-persist", s -> new Scenario("restart-after-persist", s).voters(7).contributors(2).rounds(10)
        .behaviour(7, Adversaries.undecodableContributor()).crashAfterPersist(3, 4, 3_000));
    ALL.put("forged-evidence", s -> new Scenario("forged-evidence", s).voters(7).contributors(1).rounds(6)
        .behaviour(1, Adversaries.evidenceForger(2)));
    ALL.put("forged-evidence-unchecked", s -> new Scenario("forged-evidence-unchecked", s).voters(7).contributors(1).rounds(6)
        .behaviour(1, Adversaries.evidenceForger(2)).signatureChecks(false).expect(Scenario.Expect.VIOLATION));
    ALL.put("censor", s -> new Scenario("censor", s).voters(7).contributors(2).rounds(10)
        .behaviour(0, Adversaries.censor(3)).behaviour(1, Adversaries.censor(3)));
    ALL.put("withheld-blob", s -> new Scenario("withheld-blob", s).voters(7).contributors(2).rounds(8)
        .behaviour(7, Adversaries.withholder()).behaviour(0, Adversaries.withheldBlobLeader(7)).behaviour(1, Adversaries.withheldBlobLeader(7)));
    ALL.put("churn-200", s -> new Scenario("churn-200", s).voters(7).contributors(10).rounds(200).churn(0.3).compute(1_000, 1.5)
        .maxVirtualMillis(3_600_000));
    ALL.put("slow-links", s -> new Scenario("slow-links", s).voters(7).contributors(3).rounds(10).compute(2_000, 1.5)
        .net(new NetConfig(250, 100, 250_000, 0.05, 0.05)).maxVirtualMillis(1_200_000));
    ALL.put("sparse", s -> new Scenario("sparse", s).voters(4).contributors(2).rounds(12).churn(0.7));
    ALL.put("clock-skew", s -> new Scenario("clock-skew", s).voters(7).contributors(3).rounds(10).clockSkew(600_000));
    ALL.put("offline-3", s -> offline(new Scenario("offline-3", s), 3));
    ALL.put("offline-50", s -> offline(new Scenario("offline-50", s), 50));
    ALL.put("back-after-the-end", s -> backAfterTheEnd(new Scenario("back-after-the-end", s), 8));
    ALL.put("one-ulp", s -> new Scenario("one-ulp", s).voters(7).contributors(2).rounds(8).oneUlpError(2));
    ALL.put("one-ulp-third", s -> new Scenario("one-ulp-third", s).voters(7).contributors(2).rounds(4).maxVirtualMillis(120_000)
        .oneUlpError(0).oneUlpError(1).oneUlpError(2).expect(Scenario.Expect.HALT));
    ALL.put("byzantine-f", s -> coalition(new Scenario("byzantine-f", s).voters(7).contributors(2).rounds(10), 2));
    ALL.put("byzantine-f-plus-1", s -> coalition(new Scenario("byzantine-f-plus-1", s).voters(7).contributors(2).rounds(10), 3)
        .expect(Scenario.Expect.VIOLATION));
  }

  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** @throws IllegalArgumentException for an unknown name */
  public static Scenario get(String name, long seed) {
    LongFunction<Scenario> f = ALL.get(name);
    if (f == null) throw new IllegalArgumentException("unknown scenario " + name + "; known: " + String.join(", ", ALL.keySet()));
    return f.apply(seed);
  }

  /** Voters 0..size-1 collude: equivocating leaders that relay honest votes to each half. */
  private static Scenario coalition(Scenario sc, int size) {
    Adversaries.Coalition c = new Adversaries.Coalition();
    for (int i = 0; i < size; i++) sc.behaviour(i, Adversaries.equivocatingLeader(c, true));
    return sc.coalition(c);
  }

  /** Peers 0..side-1 (and the first contributor) on one side from {@code at} until {@code healAt}. */
  private static Scenario split(Scenario sc, int side, long at, long healAt) {
    int[] g = new int[sc.peers()];
    for (int i = 0; i < g.length; i++) g[i] = i < side || i == sc.voters ? 0 : 1;
    return sc.at(at, sim -> sim.partition(g)).at(healAt, Simulation::heal);
  }

  /** The voters split in halves the moment the first honest prevote of round 3 leaves; healed 8 s later. */
  private static Scenario partitionBetweenVotes(long seed) {
    Scenario sc = new Scenario("partition-prevote-precommit", seed).voters(7).contributors(2).rounds(8);
    int[] g = new int[sc.peers()];
    for (int i = 0; i < g.length; i++) g[i] = i % 2;
    boolean[] done = {false};
    return sc.onSend((sim, e) -> {
      if (!done[0] && e.message().kind() == Kind.PREVOTE && e.message().round() == 3) {
        done[0] = true;
        sim.partition(g);
        sim.schedule(sim.now() + 8_000, sim::heal);
      }
    });
  }

  /** The leader of round 2 (view 0, and view 1 when {@code leaders} is 2) crashes as it is about to send {@code phase}. */
  private static Scenario leaderCrash(Scenario sc, Kind phase, int leaders) {
    sc.voters(7).contributors(2).rounds(6);
    return sc.onSend((sim, e) -> {
      var m = e.from().machine();
      if (m.currentRound() != 2 || e.message().round() != 2 || e.message().kind() != phase || !e.from().key().equals(e.message().signer())) return;
      for (int v = 0; v < leaders; v++) {
        if (m.setup().leader(v).equals(e.from().key())) sim.crash(e.from());
      }
    });
  }

  /** 4 of 10 voters (more than f = 3) drop off the network for 30 s, then return. */
  private static Scenario vanish40(long seed) {
    Scenario sc = new Scenario("vanish-40", seed).voters(10).contributors(2).rounds(10);
    sc.at(8_000, sim -> {
      for (int i = 6; i < 10; i++) sim.setOnline(i, false);
    });
    return sc.at(38_000, sim -> {
      for (int i = 6; i < 10; i++) sim.setOnline(i, true);
    });
  }

  /** Voter 3 goes offline when round 2 starts and comes back once the others reach round 2 + {@code rounds}. */
  /**
   * Peer 3 goes offline at round 2 and comes back only once the others have finished the run
   * ({@code rounds}): nobody sends anything new, so it must fetch every round it missed by asking.
   */
  private static Scenario backAfterTheEnd(Scenario sc, int rounds) {
    sc.voters(7).contributors(2).rounds(rounds).finishAfter(rounds).maxVirtualMillis(3_600_000);
    boolean[] state = {false, false};
    sc.onSend((sim, e) -> {
      if (!state[0] && e.message().round() == 2 && e.from().index() != 3) {
        state[0] = true;
        sim.setOnline(3, false);
      }
    });
    // Finished peers send nothing, so look every 5 virtual seconds whether all the others are done.
    for (long t = 5_000; t < sc.maxVirtualMillis; t += 5_000) {
      sc.at(t, sim -> {
        if (!state[0] || state[1]) return;
        for (SimPeer p : sim.peers()) if (p.index() != 3 && p.honest() && p.machine().currentRound() < rounds) return;
        state[1] = true;
        sim.setOnline(3, true);
        sim.mark("back");
      });
    }
    return sc;
  }

  private static Scenario offline(Scenario sc, int rounds) {
    sc.voters(7).contributors(2).rounds(rounds + 6).maxVirtualMillis(1_800_000);
    boolean[] state = {false, false};
    return sc.onSend((sim, e) -> {
      long r = e.message().round();
      if (!state[0] && r == 2 && e.from().index() != 3) {
        state[0] = true;
        sim.setOnline(3, false);
      } else if (state[0] && !state[1] && r >= 2 + rounds && e.from().index() != 3) {
        state[1] = true;
        sim.setOnline(3, true);
      }
    });
  }
}
