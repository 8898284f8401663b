package dev.weft.p2p.upgrade;

import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A Netty {@link EventLoop} on a caller-driven weft {@link Scheduler} (a simulation's virtual
 * time): every task and timer of the channels registered on it runs as a task of that scheduler,
 * in its order and on its clock, so the real upgrade stack (multistream, Noise, Yamux) runs in a
 * deterministic simulation. Everything runs on the one thread that drives the scheduler, hence
 * {@link #inEventLoop(Thread)} is always true; refused for a scheduler with a thread of its own.
 */
public final class SchedulerEventLoop extends AbstractEventExecutor implements EventLoop {
  private final Scheduler scheduler;
  private final DefaultPromise<Void> termination;
  private volatile boolean shutdown;

  public SchedulerEventLoop(Scheduler scheduler) {
    if (!scheduler.drivenByCaller()) {
      throw new IllegalArgumentException("a scheduler event loop needs a caller-driven (virtual time) scheduler, not " + scheduler);
    }
    this.scheduler = scheduler;
    this.termination = new DefaultPromise<>(this);
  }

  @Override public EventLoopGroup parent() {
    return this;
  }

  @Override public EventLoop next() {
    return this;
  }

  @Override public ChannelFuture register(Channel channel) {
    return register(new DefaultChannelPromise(channel, this));
  }

  @Override public ChannelFuture register(ChannelPromise promise) {
    promise.channel().unsafe().register(this, promise);
    return promise;
  }

  @Deprecated
  @Override public ChannelFuture register(Channel channel, ChannelPromise promise) {
    channel.unsafe().register(this, promise);
    return promise;
  }

  @Override public boolean inEventLoop(Thread thread) {
    return true;
  }

  @Override public void execute(Runnable task) {
    if (shutdown) throw new java.util.concurrent.RejectedExecutionException("event loop shut down");
    scheduler.execute(task);
  }

  @Override public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(() -> {
      command.run();
      return null;
    }, delay, unit);
  }

  @Override public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    long delayMillis = Math.max(0, unit.toMillis(delay));
    Timer<V> t = new Timer<>(this, scheduler.nowMillis() + delayMillis);
    t.cancellable = scheduler.schedule(delayMillis, () -> {
      if (t.isDone()) return;
      try {
        t.trySuccess(callable.call());
      } catch (Throwable e) {
        t.tryFailure(e);
      }
    });
    return t;
  }

  @Override public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic Netty timers are not used by the upgrade stack");
  }

  @Override public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic Netty timers are not used by the upgrade stack");
  }

  /** A one-shot timer on the scheduler's clock. */
  private final class Timer<V> extends DefaultPromise<V> implements ScheduledFuture<V> {
    final long dueMillis;
    volatile Cancellable cancellable;

    Timer(SchedulerEventLoop loop, long dueMillis) {
      super(loop);
      this.dueMillis = dueMillis;
    }

    @Override public long getDelay(TimeUnit unit) {
      return unit.convert(dueMillis - scheduler.nowMillis(), TimeUnit.MILLISECONDS);
    }

    @Override public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
    }

    @Override public boolean cancel(boolean mayInterruptIfRunning) {
      Cancellable c = cancellable;
      if (c != null) c.cancel();
      return super.cancel(mayInterruptIfRunning);
    }
  }

  @Override public boolean isShuttingDown() {
    return shutdown;
  }

  @Override public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    shutdown = true;
    termination.trySuccess(null);
    return termination;
  }

  @Override public Future<?> terminationFuture() {
    return termination;
  }

  @Deprecated
  @Override public void shutdown() {
    shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }

  @Override public boolean isShutdown() {
    return shutdown;
  }

  @Override public boolean isTerminated() {
    return shutdown;
  }

  @Override public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }
}
