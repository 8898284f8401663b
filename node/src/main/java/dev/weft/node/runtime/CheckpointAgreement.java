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
 * <p>{@link #choose} takes the newest one that at least two answers (or the only answer) agree
 * on — same round, state root, seed and ban list; alone it defends against one lying peer, not two
 * that collude. {@link #chooseCertified}, what a joiner uses, applies it to the answers whose
 * state a certificate proves ({@link CheckpointCertificate}: precommits of f + 1 members) — so no
 * number of colluding peers can make a joiner adopt a state the run did not certify, and the ban
 * list, which no single certificate covers, still needs the agreement. The ban list is part of what
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
   * {@link #choose} among the certified answers only ({@code certified}: {@link
   * CheckpointCertificate#check} is null): the state must be certified, and the ban list (which
   * the certificate does not cover) must still be agreed by two answers, or be the only certified
   * answer's. Null when none qualifies; the joiner then replays certified rounds instead.
   */
  public static Choice chooseCertified(List<CertifiedCheckpoint> answers, java.util.function.Predicate<CertifiedCheckpoint> certified) {
    List<CertifiedCheckpoint> ok = new ArrayList<>();
    for (CertifiedCheckpoint c : answers) if (certified.test(c)) ok.add(c);
    Choice c = choose(ok);
    return c == null ? null : new Choice(c.checkpoint(), c.votes(), answers.size());
  }

  static String key(CertifiedCheckpoint c) {
    List<String> bans = new ArrayList<>();
    for (PeerKey b : c.banned()) bans.add(b.hex());
    Collections.sort(bans);
    return c.round() + ":" + c.state().root().hex() + ":" + c.seed().hex() + ":" + String.join(",", bans);
  }
}
