package dev.weft.node.round.sim;

import dev.weft.node.round.Decision;
import dev.weft.node.round.InclusionRule;
import dev.weft.node.round.RoundSetup;
import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety invariants of issue 12, checked after every simulated event:
 *
 * <ol>
 *   <li>at most one certificate per round (no two honest peers decide differently);
 *   <li>every state an honest peer applies has the certified root;
 *   <li>every sealed contribution is held by an honest voter when it is first certified;
 *   <li>no honest peer un-applies or skips a round;
 *   <li>a contribution every honest voter of the round reported (held before its cut-off) is sealed;
 *   <li>no honest peer is banned;
 *   <li>every honest peer builds a round from the same voters and contributors (bans took effect at
 *       the same round everywhere).
 * </ol>
 *
 * Liveness (rounds finalize again after the network settles) is what {@link SimResult} reports.
 */
public final class InvariantChecker {
  private record Certified(Digest value, Digest root, PeerKey by) {}

  private final Simulation sim;
  private final Map<Long, Certified> certified = new HashMap<>();
  private final Map<Integer, Long> checkedUpTo = new HashMap<>();
  /** round → honest voter → the bitmap it reported */
  private final Map<Long, Map<PeerKey, byte[]>> honestReports = new HashMap<>();
  /** round → the membership of that round as the first honest peer to start it saw it */
  private final Map<Long, Roster> rosters = new HashMap<>();

  private final Map<Integer, Long> rosterChecked = new HashMap<>();

  private record Roster(List<PeerKey> voters, List<PeerKey> contributors, SimPeer by) {}
  private String violation;
  private int certificates;

  InvariantChecker(Simulation sim) {
    this.sim = sim;
  }

  public String violation() {
    return violation;
  }

  /** Rounds certified so far (by any honest peer). */
  public int certifiedRounds() {
    return certified.size();
  }

  public Digest certifiedRoot(long round) {
    Certified c = certified.get(round);
    return c == null ? null : c.root();
  }

  private void fail(String what) {
    if (violation == null) violation = "t=" + sim.now() + "ms: " + what;
  }

  void onSend(SimPeer from, Signed m) {
    if (m.kind() == Kind.REPORT && from.voter() && from.honest()) {
      honestReports.computeIfAbsent(m.round(), r -> new HashMap<>()).put(from.key(), m.report().getBitmap().toByteArray());
    }
  }

  void onApply(SimPeer p, long round, ModelState next) {
    if (!p.honest()) return;
    if (round != p.appliedRound() + 1) fail(p + " applied round " + round + " after round " + p.appliedRound());
    Decision own = p.machine().decision(round);
    if (own != null) onDecision(p, own);
    Certified c = certified.get(round);
    if (c == null) fail(p + " applied round " + round + " without a certificate");
    else if (!c.root().equals(next.root())) fail(p + " applied round " + round + " with root " + next.root() + ", certified " + c.root());
  }

  void afterEvent(SimPeer p) {
    if (!p.honest()) return;
    long current = p.machine().currentRound();
    long from = checkedUpTo.getOrDefault(p.index(), -1L) + 1;
    for (long r = from; r < current; r++) {
      Decision d = p.machine().decision(r);
      if (d != null) onDecision(p, d);
      RoundSetup s = p.machine().decisionSetup(r);
      if (s != null) checkRoster(p, s);
    }
    // A round's membership is fixed when it starts: check it once per peer and round.
    if (!Long.valueOf(current).equals(rosterChecked.put(p.index(), current))) checkRoster(p, p.machine().setup());
    Decision pending = p.machine().decision(current);
    if (pending != null) onDecision(p, pending);
    checkedUpTo.put(p.index(), current - 1);
    for (PeerKey banned : p.machine().membership().banned()) {
      SimPeer b = sim.peer(banned);
      if (b != null && b.honest()) fail(p + " holds honest " + b + " as banned");
    }
  }

  /** A restarted peer's new machine builds its round afresh: check that one too. */
  void onRestart(SimPeer p) {
    rosterChecked.remove(p.index());
  }

  private void checkRoster(SimPeer p, RoundSetup s) {
    Roster first = rosters.putIfAbsent(s.round(), new Roster(s.voters().list(), s.contributors(), p));
    if (first == null) return;
    if (!first.voters().equals(s.voters().list()) || !first.contributors().equals(s.contributors())) {
      fail(p + " builds round " + s.round() + " from other voters or contributors than " + first.by() + " (membership diverged)");
    }
  }

  private void onDecision(SimPeer p, Decision d) {
    Certified prior = certified.get(d.round());
    if (prior != null) {
      if (!prior.value().equals(d.value().hash()) || !prior.root().equals(d.root())) {
        fail("two certificates for round " + d.round() + ": " + prior.value() + "/" + prior.root() + " (first seen at " + sim.peer(prior.by())
            + ") and " + d.value().hash() + "/" + d.root() + " at " + p);
      }
      return;
    }
    certified.put(d.round(), new Certified(d.value().hash(), d.root(), p.key()));
    certificates++;
    RoundSetup setup = p.machine().decisionSetup(d.round());
    checkAvailability(d, setup);
    checkInclusion(d, setup);
  }

  private void checkAvailability(Decision d, RoundSetup setup) {
    if (d.value().isNull()) return;
    for (Signed c : d.value().contributions()) {
      Digest cid = Digest.from(c.contribution().getCid());
      boolean held = false;
      for (PeerKey v : setup.voters().list()) {
        SimPeer s = sim.peer(v);
        if (s != null && s.honest() && s.held.contains(cid)) held = true;
      }
      if (!held) fail("round " + d.round() + " sealed " + cid + " from " + sim.peer(c.signer()) + " which no honest voter holds");
    }
  }

  private void checkInclusion(Decision d, RoundSetup setup) {
    Map<PeerKey, byte[]> reports = honestReports.getOrDefault(d.round(), Map.of());
    List<byte[]> all = new ArrayList<>();
    for (PeerKey v : setup.voters().list()) {
      SimPeer s = sim.peer(v);
      if (s == null || !s.honest()) continue;
      byte[] b = reports.get(v);
      if (b == null) return; // some honest voter never reported: nothing every honest voter saw
      all.add(b);
    }
    if (all.isEmpty()) return;
    for (int i = 0; i < setup.contributors().size(); i++) {
      if (InclusionRule.count(all, i) == all.size() && !d.value().indices().contains(i)) {
        fail("round " + d.round() + " left out " + sim.peer(setup.contributors().get(i)) + " although every honest voter held it before its cut-off");
      }
    }
  }
}
