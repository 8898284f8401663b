package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.nat.relay.CircuitBudget.Direction;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Joins a relay's two streams of one circuit — the hop stream from the source, the stop stream to
 * the destination — into one relayed connection, within the circuit's {@link CircuitBudget}: the
 * bytes of each direction are counted before they are forwarded, and when a direction's data
 * limit is reached or the duration passes both streams are reset (circuit-v2.md: "the relay
 * should reset the stream to the source and the stream to the destination"). A half-close is
 * passed on as a half-close; the circuit ends, and {@code onEnded} runs once, when both streams
 * have closed or either was reset.
 *
 * <p>Threads: each stream's events arrive on its own connection's thread; the budget is shared,
 * hence guarded by this object's lock (held only to count). Ownership: the borrowed inbound
 * buffer is retained for the write to the other side, which releases it. What the far side has
 * not yet taken in its window is queued by its stream: at most the data limit per direction,
 * which is why a circuit always has one.
 */
final class CircuitSplice {
  private final Stream src;
  private final Stream dst;
  private final CircuitBudget budget;
  private final LongSupplier nowMillis;
  private final Runnable onEnded;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Cancellable deadline;
  private volatile boolean overLimit;

  private CircuitSplice(Stream src, Stream dst, CircuitBudget budget, LongSupplier nowMillis, Runnable onEnded) {
    this.src = src;
    this.dst = dst;
    this.budget = budget;
    this.nowMillis = nowMillis;
    this.onEnded = onEnded;
  }

  /**
   * Starts forwarding. {@code srcRest} and {@code dstRest} are bytes each side sent behind its
   * header message (owned by the splice now; null if none); they go first.
   */
  static CircuitSplice start(Stream src, ByteBuf srcRest, Stream dst, ByteBuf dstRest, CircuitBudget budget, Scheduler scheduler,
      Runnable onEnded) {
    CircuitSplice s = new CircuitSplice(src, dst, budget, scheduler::nowMillis, onEnded);
    long deadline = budget.deadlineMillis();
    if (deadline != Long.MAX_VALUE) {
      s.deadline = scheduler.schedule(Math.max(0, deadline - scheduler.nowMillis()), s::durationReached);
    }
    if (srcRest != null) s.forward(Direction.SRC_TO_DST, srcRest.retain(), dst);
    if (dstRest != null) s.forward(Direction.DST_TO_SRC, dstRest.retain(), src);
    if (srcRest != null) srcRest.release();
    if (dstRest != null) dstRest.release();
    src.setHandler(s.new Half(Direction.SRC_TO_DST, dst));
    dst.setHandler(s.new Half(Direction.DST_TO_SRC, src));
    src.closeFuture().thenCombine(dst.closeFuture(), (a, b) -> null).whenComplete((v, e) -> s.end());
    return s;
  }

  /** One direction: what {@code from} receives goes to {@code to}. */
  private final class Half implements StreamHandler {
    final Direction direction;
    final Stream to;

    Half(Direction direction, Stream to) {
      this.direction = direction;
      this.to = to;
    }

    @Override public void onData(Stream from, ByteBuf data) {
      forward(direction, data.retain(), to);
    }

    @Override public void onRemoteClosed(Stream from) {
      to.closeWrite();
    }

    @Override public void onClosed(Stream from, Throwable cause) {
      if (cause != null) resetBoth();
    }
  }

  /** Sends what the budget admits of {@code data} (owned) to {@code to}; over the limit, resets both. */
  private void forward(Direction d, ByteBuf data, Stream to) {
    long allowed;
    synchronized (this) {
      allowed = overLimit ? 0 : budget.admit(d, data.readableBytes(), nowMillis.getAsLong());
      if (allowed < data.readableBytes()) overLimit = true;
    }
    if (allowed == data.readableBytes()) {
      to.write(data);
      return;
    }
    if (allowed > 0) to.write(data.readRetainedSlice((int) allowed));
    data.release();
    resetBoth();
  }

  private void durationReached() {
    synchronized (this) {
      overLimit = true;
    }
    resetBoth();
  }

  private void resetBoth() {
    src.reset();
    dst.reset();
    end();
  }

  private void end() {
    if (!ended.compareAndSet(false, true)) return;
    Cancellable d = deadline;
    if (d != null) d.cancel();
    onEnded.run();
  }

  /** Whether a limit ended (or is ending) the circuit. */
  boolean overLimit() {
    return overLimit;
  }
}
