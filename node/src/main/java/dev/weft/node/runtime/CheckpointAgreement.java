package dev.weft.node.runtime;

import dev.weft.node.round.msg.PeerKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the checkpoints peers sent a joiner to adopt. A pure function.
 *
 * <p>{@link #chooseCertified}: the newest answer whose state a certificate proves
 * ({@link CheckpointCertificate}: precommits of f + 1 members), whatever the other answers say —
 * so any number of colluding peers cannot make a joiner adopt a state the run did not certify; its
 * ban list is the one most certified answers of that round and root give. {@link #choose}, the
 * older rule, takes the newest one that at least two answers (or the only answer) agree on — same
 * round, state root, seed and ban list; it defends against one lying peer, not two that collude,
 * and is kept for the contrast its test shows. The ban list is part of what
 * must agree: a banned attacker's own checkpoint carries the same θ and seed as the honest ones
 * but does not list itself (it never fetches its own blob, so never sees it fail to decode), and
 * a joiner that took its member list would count the wrong voters and could never verify a
 * certificate again.
 */
public final class CheckpointAgreement {
  private CheckpointAgreement() {}

  /** The chosen checkpoint and how many answers named it, or null when no answers agree. */
  public record Choice(CertifiedCheckpoint checkpoint, int votes, int answered) {}

  public static Choice choose(List<CertifiedCheckpoint> answers) {
    Map<String, Integer> votes = new HashMap<>();
    Map<String, CertifiedCheckpoint> byKey = new HashMap<>();
    for (CertifiedCheckpoint c : answers) {
      String k = key(c);
      votes.merge(k, 1, Integer::sum);
      byKey.putIfAbsent(k, c);
    }
    int need = Math.min(2, Math.max(1, answers.size()));
    String best = null;
    for (Map.Entry<String, Integer> e : votes.entrySet()) {
      if (e.getValue() < need) continue;
      if (best == null || byKey.get(e.getKey()).round() > byKey.get(best).round()) best = e.getKey();
    }
    return best == null ? null : new Choice(byKey.get(best), votes.get(best), answers.size());
  }

  /**
   * The newest certified answer, with the ban list most of that round's certified answers give;
   * null when no answer is certified. {@code certified} says whether an answer's certificate
   * checks ({@link CheckpointCertificate#check} is null).
   */
  public static Choice chooseCertified(List<CertifiedCheckpoint> answers, java.util.function.Predicate<CertifiedCheckpoint> certified) {
    List<CertifiedCheckpoint> ok = new ArrayList<>();
    for (CertifiedCheckpoint c : answers) if (certified.test(c)) ok.add(c);
    if (ok.isEmpty()) return null;
    long newest = Long.MIN_VALUE;
    for (CertifiedCheckpoint c : ok) newest = Math.max(newest, c.round());
    Map<String, Integer> votes = new HashMap<>();
    Map<String, CertifiedCheckpoint> byKey = new HashMap<>();
    String best = null;
    for (CertifiedCheckpoint c : ok) {
      if (c.round() != newest) continue;
      String k = key(c);
      int v = votes.merge(k, 1, Integer::sum);
      byKey.putIfAbsent(k, c);
      if (best == null || v > votes.get(best)) best = k;
    }
    return new Choice(byKey.get(best), votes.get(best), answers.size());
  }

  static String key(CertifiedCheckpoint c) {
    List<String> bans = new ArrayList<>();
    for (PeerKey b : c.banned()) bans.add(b.hex());
    Collections.sort(bans);
    return c.round() + ":" + c.state().root().hex() + ":" + c.seed().hex() + ":" + String.join(",", bans);
  }
}
