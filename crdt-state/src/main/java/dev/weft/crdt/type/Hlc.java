package dev.weft.crdt.type;

/**
 * A hybrid logical clock timestamp (Kulkarni et al., 2014): wall-clock milliseconds since the Unix
 * epoch, and a logical counter that orders events within one millisecond and lets a clock that
 * has seen a later timestamp stay ahead of its own wall clock. Ordered by physical, then logical.
 */
public record Hlc(long physicalMillis, long logical) implements Comparable<Hlc> {
  public static final Hlc ZERO = new Hlc(0, 0);

  public Hlc {
    if (physicalMillis < 0 || logical < 0) throw new IllegalArgumentException("negative HLC: " + physicalMillis + "." + logical);
  }

  @Override public int compareTo(Hlc o) {
    int c = Long.compare(physicalMillis, o.physicalMillis);
    return c != 0 ? c : Long.compare(logical, o.logical);
  }

  @Override public String toString() {
    return physicalMillis + "." + logical;
  }
}
