package dev.weft.p2p.time;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread and {@link System#nanoTime()}. Each service that needs
 * serial execution owns one (or shares its host's); close it with the owner.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
  private final ScheduledExecutorService executor;
  private final long origin = System.nanoTime();
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  public SystemScheduler(String threadName) {
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  @Override public long nowMillis() {
    return (System.nanoTime() - origin) / 1_000_000L;
  }

  @Override public long nowNanos() {
    return System.nanoTime() - origin;
  }

  @Override public java.util.Random random() {
    return random;
  }

  @Override public void execute(Runnable task) {
    if (executor.isShutdown()) return;
    executor.execute(guarded(task));
  }

  @Override public Cancellable schedule(long delayMillis, Runnable task) {
    if (executor.isShutdown()) return () -> { };
    ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("scheduled task failed", e);
      }
    };
  }

  @Override public void close() {
    executor.shutdownNow();
  }
}
