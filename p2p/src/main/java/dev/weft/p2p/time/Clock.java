package dev.weft.p2p.time;

/**
 * A monotonic clock. Protocol code reads time only through this interface so that simulations
 * can run on virtual time ({@link SimScheduler}) and production on {@link SystemScheduler}.
 *
 * <p>Values are milliseconds since an arbitrary origin; only differences are meaningful. It is
 * never wall-clock time: deadlines computed from it survive clock steps.
 */
@FunctionalInterface
public interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never decreases. */
  long nowMillis();
}
