package dev.weft.p2p.nat.relay;

/**
 * The limit of one relayed connection (circuit-v2.md: "if more data than the limit ... or open
 * for longer than duration, the relay should reset the stream to the source and the stream to
 * the destination"). Pure: told bytes and time, answers whether the circuit may go on.
 */
public final class CircuitBudget {
  public enum Direction { SRC_TO_DST, DST_TO_SRC }

  private final RelayMessage.Limit limit;
  private final long openedAtMillis;
  private long srcToDst;
  private long dstToSrc;

  public CircuitBudget(RelayMessage.Limit limit, long openedAtMillis) {
    this.limit = limit;
    this.openedAtMillis = openedAtMillis;
  }

  /**
   * Counts {@code bytes} about to be forwarded; returns how many of them may still go (the rest
   * must not be forwarded, and the circuit must be reset once this is below {@code bytes}).
   */
  public long admit(Direction d, long bytes, long nowMillis) {
    if (expired(nowMillis)) return 0;
    if (limit.dataBytes() == 0) return bytes;
    long used = d == Direction.SRC_TO_DST ? srcToDst : dstToSrc;
    long ok = Math.max(0, Math.min(bytes, limit.dataBytes() - used));
    if (d == Direction.SRC_TO_DST) srcToDst += ok;
    else dstToSrc += ok;
    return ok;
  }

  public boolean expired(long nowMillis) {
    return limit.durationSeconds() > 0 && nowMillis - openedAtMillis >= limit.durationSeconds() * 1000;
  }

  /** When the circuit must be reset for its duration, on the monotonic clock; Long.MAX_VALUE if never. */
  public long deadlineMillis() {
    return limit.durationSeconds() > 0 ? openedAtMillis + limit.durationSeconds() * 1000 : Long.MAX_VALUE;
  }
}
