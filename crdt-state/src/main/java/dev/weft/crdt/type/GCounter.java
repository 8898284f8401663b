package dev.weft.crdt.type;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A grow-only counter: each replica's own count, joined by per-replica maximum. */
public final class GCounter implements Crdt {
  public static final GCounter EMPTY = new GCounter(new TreeMap<>());
  private final SortedMap<String, Long> counts;

  GCounter(TreeMap<String, Long> counts) {
    for (long v : counts.values()) if (v <= 0) throw new IllegalArgumentException("counter entries are positive");
    this.counts = Collections.unmodifiableSortedMap(counts);
  }

  public static GCounter of(Map<String, Long> counts) {
    return new GCounter(new TreeMap<>(counts));
  }

  /** Adds {@code amount} (positive) to {@code replica}'s count; the delta is that replica's new count. */
  public Mutation<GCounter> increment(String replica, long amount) {
    if (amount <= 0) throw new IllegalArgumentException("G-counters only grow: " + amount);
    long total = Math.addExact(counts.getOrDefault(replica, 0L), amount);
    TreeMap<String, Long> d = new TreeMap<>();
    d.put(replica, total);
    GCounter delta = new GCounter(d);
    return new Mutation<>(merge(delta), delta);
  }

  /** The sum of every replica's count, saturating at {@link Long#MAX_VALUE}. */
  public long value() {
    long sum = 0;
    for (long v : counts.values()) {
      sum += v;
      if (sum < 0) return Long.MAX_VALUE;
    }
    return sum;
  }

  public SortedMap<String, Long> counts() {
    return counts;
  }

  @Override public CrdtType type() {
    return CrdtType.G_COUNTER;
  }

  @Override public GCounter merge(Crdt other) {
    GCounter o = sameType(other, GCounter.class);
    if (o.counts.isEmpty()) return this;
    TreeMap<String, Long> m = new TreeMap<>(counts);
    for (Map.Entry<String, Long> e : o.counts.entrySet()) m.merge(e.getKey(), e.getValue(), Math::max);
    return new GCounter(m);
  }

  @Override public boolean authoredBy(String replica) {
    for (String r : counts.keySet()) if (!r.equals(replica)) return false;
    return true;
  }

  @Override public boolean isBottom() {
    return counts.isEmpty();
  }

  @Override public boolean equals(Object o) {
    return o instanceof GCounter g && counts.equals(g.counts);
  }

  @Override public int hashCode() {
    return counts.hashCode();
  }

  @Override public String toString() {
    return "GCounter" + counts;
  }
}
