package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.Signed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contributions of one round as this peer saw them: the first valid one per contributor, when
 * its blob arrived (milliseconds after the round's anchor), and conflicts (equivocation).
 */
final class ContributionPool {
  private final RoundSetup setup;
  private final TreeMap<Integer, Signed> byIndex = new TreeMap<>();
  private final Map<Digest, Integer> indexByCid = new HashMap<>();
  private final Map<Integer, Long> arrivals = new TreeMap<>();
  private Signed conflictFirst;
  /** First and conflicting contributions by message id (two per contributor at most). */
  private final Map<Digest, Signed> byId = new HashMap<>();
  private final Map<Integer, Integer> perContributor = new HashMap<>();

  ContributionPool(RoundSetup setup) {
    this.setup = setup;
  }

  /** Why {@code c} is not acceptable here, or null. */
  String rejection(Signed c) {
    if (setup.contributorIndex(c.signer()) < 0) return "contribution by a non-contributor (unknown or banned)";
    if (!Digest.from(c.contribution().getBaseRoot()).equals(setup.baseRoot())) return "contribution built on another state";
    return null;
  }

  Slot add(Signed c) {
    int i = setup.contributorIndex(c.signer());
    if (!byId.containsKey(c.id()) && perContributor.getOrDefault(i, 0) < 2) {
      byId.put(c.id(), c);
      perContributor.merge(i, 1, Integer::sum);
    }
    Signed old = byIndex.putIfAbsent(i, c);
    if (old == null) {
      indexByCid.putIfAbsent(Digest.from(c.contribution().getCid()), i);
      return Slot.NEW;
    }
    if (old.id().equals(c.id())) return Slot.DUPLICATE;
    conflictFirst = old;
    return Slot.CONFLICT;
  }

  Signed lastConflict() {
    return conflictFirst;
  }

  Signed byId(Digest id) {
    return byId.get(id);
  }

  Signed of(int index) {
    return byIndex.get(index);
  }

  /** Contributor index of the contribution with this blob, or -1. */
  int indexOf(Digest cid) {
    Integer i = indexByCid.get(cid);
    return i == null ? -1 : i;
  }

  /**
   * Records when contribution {@code index}'s blob arrived. A contribution of fewer tokens than a
   * full round counts as arriving when the full work would have (offset × full / tokens).
   */
  void arrived(int index, long offsetMillis, long fullTokens) {
    Signed c = byIndex.get(index);
    long tokens = c == null ? fullTokens : Math.max(1, Math.min(fullTokens, c.contribution().getTokens()));
    arrivals.putIfAbsent(index, Math.max(0, offsetMillis) * fullTokens / tokens);
  }

  /** Contributors whose blob arrived. */
  int arrivedCount() {
    return arrivals.size();
  }

  boolean hasArrived(int index) {
    return arrivals.containsKey(index);
  }

  long[] arrivalOffsets() {
    long[] out = new long[arrivals.size()];
    int k = 0;
    for (long v : arrivals.values()) out[k++] = v;
    return out;
  }

  /**
   * The bitmap of contributions whose blob this peer holds, whether or not it decodes: a report
   * attests availability. A blob that does not decode is then sealed like any other, dropped by the
   * apply step, and its contributor banned from certified data ({@link RoundMachine}).
   */
  byte[] bitmap(BlobTracker blobs) {
    byte[] b = new byte[setup.bitmapBytes()];
    for (Map.Entry<Integer, Signed> e : byIndex.entrySet()) {
      if (blobs.held(Digest.from(e.getValue().contribution().getCid()))) InclusionRule.set(b, e.getKey());
    }
    return b;
  }

  List<Signed> all() {
    return new ArrayList<>(byIndex.values());
  }
}
