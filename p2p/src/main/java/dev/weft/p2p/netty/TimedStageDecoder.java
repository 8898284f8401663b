package dev.weft.p2p.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage of the connection upgrade (multistream-select, the Noise handshake): starts when the
 * channel is active, must finish within a deadline, and ends exactly once, either by
 * {@link #succeeded} or by {@link #fail} (which closes the channel). Subclasses decode their own
 * messages and say what starting and failing mean.
 *
 * <p>Thread: the channel's event loop. Inbound buffers are accumulated and released by
 * {@link ByteToMessageDecoder}.
 */
public abstract class TimedStageDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(TimedStageDecoder.class);

  private final long timeoutMillis;
  private ScheduledFuture<?> timeout;
  private boolean started;
  private boolean finished;

  protected TimedStageDecoder(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** What this stage is called in errors and logs, e.g. "multistream negotiation". */
  protected abstract String stageName();

  /** The typed exception a failure of this stage is reported with. */
  protected abstract Exception stageException(String message);

  /** Called once when the channel is active: send whatever opens this stage. */
  protected abstract void onStart(ChannelHandlerContext ctx);

  /** Tells the stage's listener that it failed; the channel is closed right after. */
  protected abstract void notifyFailed(ChannelHandlerContext ctx, Throwable cause);

  protected final boolean isFinished() {
    return finished;
  }

  @Override public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) start(ctx);
  }

  @Override public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) return;
    started = true;
    timeout = ctx.executor().schedule(
        () -> fail(ctx, stageException(stageName() + " timed out after " + timeoutMillis + " ms")),
        timeoutMillis, TimeUnit.MILLISECONDS);
    onStart(ctx);
  }

  /** Marks the stage done; the caller then installs the next stage and removes this handler. */
  protected final void succeeded() {
    finished = true;
    cancelTimeout();
  }

  /** Ends the stage with {@code cause} (once) and closes the channel. */
  protected final void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (finished) return;
    finished = true;
    cancelTimeout();
    LOG.debug("{} on {} failed: {}", stageName(), ctx.channel(), cause.getMessage());
    try {
      notifyFailed(ctx, cause);
    } finally {
      ctx.close();
    }
  }

  private void cancelTimeout() {
    if (timeout != null) timeout.cancel(false);
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, stageException("connection closed during " + stageName()));
    super.channelInactive(ctx);
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  @Override protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelTimeout();
  }
}
