package dev.weft.node.runtime;

import dev.weft.aggregation.Verdict;
import java.util.List;

/**
 * What one node saw and did in one applied round, for reports and the dashboard.
 *
 * @param thetaHash hex SHA-256 of θ after the round (bit-identical θ ⇔ equal hash)
 * @param crdtRoot hex of the CRDT replica's state root at that moment (replicas converge, so two
 *     nodes may see different roots at the moment they apply the same round)
 * @param stateRoot hex of the certified state root of the round: the root of θ and the outer
 *     optimizer state that Q voters precommitted to, so equal on every node that applied it
 * @param trainMillis round start to our contribution published
 * @param waitMillis our contribution to the seal applied
 * @param applyMillis decoding, aggregation and the outer step
 * @param computeMillis time the trainer itself spent on the inner steps
 * @param startedAt round start, on the runtime's monotonic clock (milliseconds); likewise
 *     {@code contributedAt} (0 if we did not contribute) and {@code appliedAt}
 * @param banned peers (base58) this round's certificate banned on certified evidence, with the
 *     kind of evidence
 */
public record RoundRecord(String node, long round, String thetaHash, String crdtRoot, String stateRoot, String sealedBy, List<Fate> fates,
    String aggregateFailure, double trainLoss, long trainMillis, long waitMillis, long applyMillis, boolean contributed,
    long computeMillis, long startedAt, long contributedAt, long appliedAt, List<Ban> banned) {
  public RoundRecord {
    fates = List.copyOf(fates);
    banned = banned == null ? List.of() : List.copyOf(banned);
  }

  /** A ban certified in this round. */
  public record Ban(String peer, String evidence) {}

  /** What the aggregation did with one sealed contribution. */
  public record Fate(String peer, Verdict verdict, double influence, String reason) {}

  public Fate fateOf(String peer) {
    for (Fate f : fates) if (f.peer().equals(peer)) return f;
    return null;
  }
}
