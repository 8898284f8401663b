package dev.weft.p2p.time;

/**
 * Runs tasks later, on one serial executor: tasks never run concurrently with each other, so
 * protocol state confined to a scheduler needs no locks. A {@link Clock} with the same notion of
 * time comes with it.
 *
 * <p>Implementations: {@link SystemScheduler} (a real thread) and {@link SimScheduler} (virtual
 * time, deterministic given its seed).
 */
public interface Scheduler extends Clock {
  /**
   * A finer monotonic clock on the same time line, for round trips and throughput. Virtual time
   * has millisecond steps, so the default is {@link #nowMillis()} in nanoseconds.
   */
  default long nowNanos() {
    return nowMillis() * 1_000_000L;
  }

  /**
   * The randomness that belongs with this notion of time: seeded under virtual time (so a
   * simulation repeats from its seed), a {@link java.security.SecureRandom} on real time.
   */
  java.util.Random random();

  /**
   * Whether tasks run only when the caller drives time (virtual time). Code that would block
   * until a task of this scheduler has run must not block then: nothing would run the task.
   */
  default boolean drivenByCaller() {
    return false;
  }

  /** Runs {@code task} as soon as possible, after the tasks already queued for now. */
  void execute(Runnable task);

  /** Runs {@code task} once, {@code delayMillis} from now (0 or less means as soon as possible). */
  Cancellable schedule(long delayMillis, Runnable task);

  /**
   * Runs {@code task} every {@code periodMillis}, the first time after {@code initialDelayMillis}.
   * A task that throws is logged by the implementation and keeps its period.
   */
  default Cancellable scheduleAtFixedRate(long initialDelayMillis, long periodMillis, Runnable task) {
    if (periodMillis <= 0) throw new IllegalArgumentException("period must be positive: " + periodMillis);
    final class Repeating implements Runnable, Cancellable {
      private volatile boolean cancelled;
      private volatile Cancellable next;

      @Override public void run() {
        if (cancelled) return;
        try {
          task.run();
        } finally {
          if (!cancelled) next = schedule(periodMillis, this);
        }
      }

      @Override public void cancel() {
        cancelled = true;
        Cancellable n = next;
        if (n != null) n.cancel();
      }
    }
    Repeating r = new Repeating();
    r.next = schedule(initialDelayMillis, r);
    return r;
  }
}
