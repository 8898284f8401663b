package dev.weft.crdt.type;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The set of dots a causal CRDT has seen, kept compact: per replica the largest counter up to
 * which every dot was seen, plus the dots seen beyond it (the "dot cloud"). Always normalised (a
 * cloud dot next to the compact part is absorbed), so equal sets have one representation and one
 * encoding. Immutable.
 */
public final class CausalContext {
  public static final CausalContext EMPTY = new CausalContext(new TreeMap<>(), new TreeMap<>());

  private final SortedMap<String, Long> compact;
  private final SortedMap<String, NavigableSet<Long>> cloud;

  private CausalContext(TreeMap<String, Long> compact, TreeMap<String, NavigableSet<Long>> cloud) {
    this.compact = Collections.unmodifiableSortedMap(compact);
    this.cloud = Collections.unmodifiableSortedMap(cloud);
  }

  public static CausalContext of(Iterable<Dot> dots) {
    Builder b = new Builder();
    for (Dot d : dots) b.add(d);
    return b.build();
  }

  public boolean contains(Dot d) {
    if (d.counter() <= compact.getOrDefault(d.replica(), 0L)) return true;
    NavigableSet<Long> c = cloud.get(d.replica());
    return c != null && c.contains(d.counter());
  }

  /** The counter for {@code replica}'s next write: one past every counter of it we have seen. */
  public long next(String replica) {
    long max = compact.getOrDefault(replica, 0L);
    NavigableSet<Long> c = cloud.get(replica);
    if (c != null && !c.isEmpty()) max = Math.max(max, c.last());
    return max + 1;
  }

  public CausalContext merge(CausalContext o) {
    if (o.isEmpty()) return this;
    if (isEmpty()) return o;
    Builder b = toBuilder();
    o.forEachEntry(b);
    return b.build();
  }

  public CausalContext with(Dot d) {
    Builder b = toBuilder();
    b.add(d);
    return b.build();
  }

  public boolean isEmpty() {
    return compact.isEmpty() && cloud.isEmpty();
  }

  /** Replica ids present, sorted. */
  public Set<String> replicas() {
    TreeSet<String> r = new TreeSet<>(compact.keySet());
    r.addAll(cloud.keySet());
    return r;
  }

  public long compactOf(String replica) {
    return compact.getOrDefault(replica, 0L);
  }

  public NavigableSet<Long> cloudOf(String replica) {
    NavigableSet<Long> c = cloud.get(replica);
    return c == null ? Collections.emptyNavigableSet() : Collections.unmodifiableNavigableSet(c);
  }

  /** Number of compact entries plus cloud dots: the encoding's size driver. */
  public int size() {
    int n = compact.size();
    for (NavigableSet<Long> c : cloud.values()) n += c.size();
    return n;
  }

  private void forEachEntry(Builder b) {
    for (Map.Entry<String, Long> e : compact.entrySet()) b.addCompact(e.getKey(), e.getValue());
    for (Map.Entry<String, NavigableSet<Long>> e : cloud.entrySet()) for (long c : e.getValue()) b.add(new Dot(e.getKey(), c));
  }

  Builder toBuilder() {
    Builder b = new Builder();
    forEachEntry(b);
    return b;
  }

  @Override public boolean equals(Object o) {
    return o instanceof CausalContext c && compact.equals(c.compact) && cloud.equals(c.cloud);
  }

  @Override public int hashCode() {
    return compact.hashCode() * 31 + cloud.hashCode();
  }

  @Override public String toString() {
    return "CC" + compact + (cloud.isEmpty() ? "" : "+" + cloud);
  }

  /** Accumulates dots, then normalises once. */
  static final class Builder {
    private final TreeMap<String, Long> compact = new TreeMap<>();
    private final TreeMap<String, NavigableSet<Long>> cloud = new TreeMap<>();

    Builder add(Dot d) {
      if (d.counter() <= compact.getOrDefault(d.replica(), 0L)) return this;
      cloud.computeIfAbsent(d.replica(), r -> new TreeSet<>()).add(d.counter());
      return this;
    }

    Builder addCompact(String replica, long upTo) {
      if (upTo > 0) compact.merge(replica, upTo, Math::max);
      return this;
    }

    CausalContext build() {
      TreeMap<String, NavigableSet<Long>> outCloud = new TreeMap<>();
      TreeMap<String, Long> outCompact = new TreeMap<>(compact);
      for (Map.Entry<String, NavigableSet<Long>> e : cloud.entrySet()) {
        long max = outCompact.getOrDefault(e.getKey(), 0L);
        TreeSet<Long> rest = new TreeSet<>();
        for (long c : e.getValue()) {
          if (c <= max) continue;
          if (c == max + 1 && rest.isEmpty()) max = c;
          else rest.add(c);
        }
        // Absorb runs that became contiguous once earlier cloud dots joined the compact part.
        while (!rest.isEmpty() && rest.first() == max + 1) max = rest.pollFirst();
        if (max > 0) outCompact.put(e.getKey(), max);
        if (!rest.isEmpty()) outCloud.put(e.getKey(), rest);
      }
      return new CausalContext(outCompact, outCloud);
    }
  }
}
