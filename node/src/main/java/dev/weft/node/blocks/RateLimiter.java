package dev.weft.node.blocks;

/**
 * A token bucket over bytes, on an injected clock: {@link #reserve} takes bytes now and says how
 * long the caller must wait before sending them, so a server paces its replies instead of
 * refusing them. The burst is a quarter second's worth, so an idle server answers at once and a
 * busy one keeps to its rate within a quarter second. Not thread-safe:
 * confine it to one executor.
 */
public final class RateLimiter {
  private final long bytesPerSecond;
  private final long burst;
  /** The time at which the bucket is full again (microseconds): the debt, as a point in time. */
  private long readyAtMicros;

  /** @param bytesPerSecond 0 for unlimited */
  public RateLimiter(long bytesPerSecond) {
    if (bytesPerSecond < 0) throw new IllegalArgumentException("negative rate");
    this.bytesPerSecond = bytesPerSecond;
    this.burst = Math.max(1, bytesPerSecond / 4);
  }

  public boolean unlimited() {
    return bytesPerSecond == 0;
  }

  /**
   * Takes {@code bytes} from the bucket at {@code nowMillis}; returns the delay in milliseconds
   * (0: send now). Reservations queue: the next caller waits behind this one. A message larger
   * than the burst waits for a full bucket and leaves it in debt, which later messages wait out.
   */
  public long reserve(long bytes, long nowMillis) {
    if (bytesPerSecond == 0) return 0;
    long now = nowMillis * 1000;
    long burstMicros = burst * 1_000_000 / bytesPerSecond;
    // A bucket left alone fills up to the burst, no further: idle time is no credit beyond it.
    long start = Math.max(readyAtMicros, now);
    long wait = start + Math.min(bytes, burst) * 1_000_000 / bytesPerSecond - burstMicros - now;
    readyAtMicros = start + bytes * 1_000_000 / bytesPerSecond;
    return wait <= 0 ? 0 : (wait + 999) / 1000;
  }
}
