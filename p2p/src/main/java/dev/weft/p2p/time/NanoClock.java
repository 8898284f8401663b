package dev.weft.p2p.time;

/**
 * A monotonic nanosecond clock for round trips and throughput. Protocol code takes one injected
 * ({@link Scheduler#nowNanos()} on a host); {@link #SYSTEM} is the only place real time is read
 * outside the schedulers.
 */
@FunctionalInterface
public interface NanoClock {
  /** {@link System#nanoTime()}: for code that runs on real time only (sockets, benchmarks). */
  NanoClock SYSTEM = System::nanoTime;

  /** Nanoseconds since an arbitrary, fixed origin; never decreases. */
  long nowNanos();
}
