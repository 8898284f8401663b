package dev.weft.crdt.type;

/** A counter that goes up and down: two grow-only counters, increments minus decrements. */
public final class PNCounter implements Crdt {
  public static final PNCounter EMPTY = new PNCounter(GCounter.EMPTY, GCounter.EMPTY);
  private final GCounter up;
  private final GCounter down;

  PNCounter(GCounter up, GCounter down) {
    this.up = up;
    this.down = down;
  }

  public static PNCounter of(GCounter up, GCounter down) {
    return new PNCounter(up, down);
  }

  /** Adds {@code amount} (any sign, not zero); the delta carries the replica's new total of that sign. */
  public Mutation<PNCounter> add(String replica, long amount) {
    if (amount == 0 || amount == Long.MIN_VALUE) throw new IllegalArgumentException("amount: " + amount);
    PNCounter delta = amount > 0
        ? new PNCounter(up.increment(replica, amount).delta(), GCounter.EMPTY)
        : new PNCounter(GCounter.EMPTY, down.increment(replica, -amount).delta());
    return new Mutation<>(merge(delta), delta);
  }

  public long value() {
    return up.value() - down.value();
  }

  public GCounter increments() {
    return up;
  }

  public GCounter decrements() {
    return down;
  }

  @Override public CrdtType type() {
    return CrdtType.PN_COUNTER;
  }

  @Override public PNCounter merge(Crdt other) {
    PNCounter o = sameType(other, PNCounter.class);
    return new PNCounter(up.merge(o.up), down.merge(o.down));
  }

  @Override public boolean authoredBy(String replica) {
    return up.authoredBy(replica) && down.authoredBy(replica);
  }

  @Override public boolean isBottom() {
    return up.isBottom() && down.isBottom();
  }

  @Override public boolean equals(Object o) {
    return o instanceof PNCounter p && up.equals(p.up) && down.equals(p.down);
  }

  @Override public int hashCode() {
    return up.hashCode() * 31 + down.hashCode();
  }

  @Override public String toString() {
    return "PNCounter[+" + up.counts() + " -" + down.counts() + "]";
  }
}
