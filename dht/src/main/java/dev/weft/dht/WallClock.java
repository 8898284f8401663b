package dev.weft.dht;

/**
 * Wall-clock time for what must mean the same on every machine and across restarts: record
 * expiry, provider record age on disk. Lookups and timeouts use the monotonic
 * {@link dev.weft.p2p.time.Clock} instead. Simulations inject a virtual one.
 */
@FunctionalInterface
public interface WallClock {
  /** Milliseconds since the Unix epoch. */
  long epochMillis();

  static WallClock system() {
    return System::currentTimeMillis;
  }
}
