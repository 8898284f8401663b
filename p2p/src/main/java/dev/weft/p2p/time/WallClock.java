package dev.weft.p2p.time;

import java.util.function.LongSupplier;

/**
 * The one place protocol code may get calendar time from, and only for values that must outlive
 * the process and be compared across restarts (a signed peer record's sequence number). Deadlines
 * and timers never use it: they use the monotonic {@link Clock}.
 */
public final class WallClock {
  /** Milliseconds since the Unix epoch, from the system clock. */
  public static final LongSupplier SYSTEM = System::currentTimeMillis;

  private WallClock() {}
}
