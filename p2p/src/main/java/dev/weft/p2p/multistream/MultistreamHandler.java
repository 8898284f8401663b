package dev.weft.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link MultistreamNegotiation} directly on a Netty channel (the connection upgrade:
 * security, then muxer). On agreement it calls {@link Listener#selected}, which installs the next
 * stage after this handler, then removes itself; bytes that arrived after the agreed message are
 * forwarded to that next stage. On failure or timeout the channel is closed.
 *
 * <p>Thread: the channel's event loop. ByteBuf ownership: inbound buffers are accumulated and
 * released by {@link ByteToMessageDecoder}.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(MultistreamHandler.class);
  /** How long a negotiation may take before the channel is closed. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  /** Told how the negotiation ended; both methods run on the event loop. */
  public interface Listener {
    /** Agreed on {@code protocol}: add the next handler after {@code ctx} here. */
    void selected(ChannelHandlerContext ctx, String protocol);

    /** The negotiation failed; the channel is being closed. */
    void failed(ChannelHandlerContext ctx, Throwable cause);
  }

  private final MultistreamNegotiation negotiation;
  private final long timeoutMillis;
  private final Listener listener;
  private ScheduledFuture<?> timeout;
  private boolean started;
  private boolean finished;

  public MultistreamHandler(MultistreamNegotiation negotiation, long timeoutMillis, Listener listener) {
    this.negotiation = negotiation;
    this.timeoutMillis = timeoutMillis;
    this.listener = listener;
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
        () -> fail(ctx, new MultistreamException("negotiation timed out after " + timeoutMillis + " ms")),
        timeoutMillis, TimeUnit.MILLISECONDS);
    send(ctx, negotiation.start());
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!finished) {
      String message;
      try {
        message = MultistreamCodec.decode(in);
      } catch (MultistreamException e) {
        in.skipBytes(in.readableBytes());
        fail(ctx, e);
        return;
      }
      if (message == null) return;
      MultistreamNegotiation.Step step = negotiation.onMessage(message);
      send(ctx, step.send());
      if (step.failure() != null) {
        in.skipBytes(in.readableBytes());
        fail(ctx, new MultistreamException(step.failure()));
        return;
      }
      if (step.selected() != null) {
        finished = true;
        cancelTimeout();
        listener.selected(ctx, step.selected());
        ctx.pipeline().remove(this);
        return;
      }
    }
  }

  private void send(ChannelHandlerContext ctx, List<String> messages) {
    if (messages.isEmpty()) return;
    ctx.writeAndFlush(MultistreamCodec.encode(ctx.alloc(), messages));
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (finished) return;
    finished = true;
    cancelTimeout();
    LOG.debug("multistream negotiation on {} failed: {}", ctx.channel(), cause.getMessage());
    try {
      listener.failed(ctx, cause);
    } finally {
      ctx.close();
    }
  }

  private void cancelTimeout() {
    if (timeout != null) timeout.cancel(false);
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new MultistreamException("connection closed during negotiation"));
    super.channelInactive(ctx);
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  @Override protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelTimeout();
  }
}
