package dev.weft.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import dev.weft.p2p.netty.TimedStageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;

/**
 * Runs one {@link MultistreamNegotiation} directly on a Netty channel (the connection upgrade:
 * security, then muxer). On agreement it calls {@link Listener#selected}, which installs the next
 * stage after this handler, then removes itself; bytes that arrived after the agreed message are
 * forwarded to that next stage. On failure or timeout the channel is closed.
 *
 * <p>Thread: the channel's event loop. ByteBuf ownership: inbound buffers are accumulated and
 * released by {@link ByteToMessageDecoder}.
 */
public final class MultistreamHandler extends TimedStageDecoder {
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
  private final Listener listener;

  public MultistreamHandler(MultistreamNegotiation negotiation, long timeoutMillis, Listener listener) {
    super(timeoutMillis);
    this.negotiation = negotiation;
    this.listener = listener;
  }

  @Override protected String stageName() {
    return "multistream negotiation";
  }

  @Override protected Exception stageException(String message) {
    return new MultistreamException(message);
  }

  @Override protected void onStart(ChannelHandlerContext ctx) {
    send(ctx, negotiation.start());
  }

  @Override protected void notifyFailed(ChannelHandlerContext ctx, Throwable cause) {
    listener.failed(ctx, cause);
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!isFinished()) {
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
        succeeded();
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
}
