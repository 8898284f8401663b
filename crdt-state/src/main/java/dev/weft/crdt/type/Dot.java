package dev.weft.crdt.type;

/**
 * One event: the {@code counter}-th write by {@code replica} (a peer id in text form) to one
 * causal CRDT. Ordered by replica, then counter.
 */
public record Dot(String replica, long counter) implements Comparable<Dot> {
  public Dot {
    if (replica == null || replica.isEmpty()) throw new IllegalArgumentException("empty replica id");
    if (counter < 1) throw new IllegalArgumentException("dot counters start at 1: " + counter);
  }

  @Override public int compareTo(Dot o) {
    int c = replica.compareTo(o.replica);
    return c != 0 ? c : Long.compare(counter, o.counter);
  }

  @Override public String toString() {
    return replica + ":" + counter;
  }
}
