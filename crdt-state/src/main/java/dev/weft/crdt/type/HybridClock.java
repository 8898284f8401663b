package dev.weft.crdt.type;

import java.util.function.LongSupplier;

/**
 * This replica's hybrid logical clock. Reads wall time only through an injected supplier (virtual
 * in simulations). A remote timestamp more than {@code maxDriftMillis} ahead of our wall clock is
 * refused, not obeyed: obeying it would drag our clock (and every last-writer-wins register we
 * write) years into the future on one lying peer's word. Not thread-safe.
 */
public final class HybridClock {
  private final LongSupplier wallMillis;
  private final long maxDriftMillis;
  private Hlc last = Hlc.ZERO;

  public HybridClock(LongSupplier wallMillis, long maxDriftMillis) {
    if (maxDriftMillis < 0) throw new IllegalArgumentException("maxDriftMillis < 0");
    this.wallMillis = wallMillis;
    this.maxDriftMillis = maxDriftMillis;
  }

  /** A timestamp for a local event, later than every timestamp issued or observed before. */
  public Hlc now() {
    long wall = wallMillis.getAsLong();
    last = wall > last.physicalMillis() ? new Hlc(wall, 0) : new Hlc(last.physicalMillis(), last.logical() + 1);
    return last;
  }

  /** Whether {@code remote} is not too far ahead of our wall clock to be accepted. */
  public boolean acceptable(Hlc remote) {
    return remote.physicalMillis() <= wallMillis.getAsLong() + maxDriftMillis;
  }

  /**
   * Takes in a remote timestamp so later local ones order after it.
   *
   * @return false (and no change) if it is too far in the future
   */
  public boolean observe(Hlc remote) {
    if (!acceptable(remote)) return false;
    if (remote.compareTo(last) > 0) last = remote;
    return true;
  }

  public Hlc last() {
    return last;
  }

  public long maxDriftMillis() {
    return maxDriftMillis;
  }
}
