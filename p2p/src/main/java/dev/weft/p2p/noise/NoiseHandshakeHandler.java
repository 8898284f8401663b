package dev.weft.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import dev.weft.p2p.netty.TimedStageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;

/**
 * Runs a {@link NoiseHandshake} on a Netty channel with the noise-libp2p framing (2-byte big-endian
 * length, then the message). When it completes, installs {@link NoiseDecoder} and
 * {@link NoiseEncoder} after itself, calls {@link Listener#secured} (which installs the next stage
 * after those), and removes itself; bytes that followed the last handshake message reach the
 * decoder. Failure or timeout closes the channel.
 *
 * <p>Thread: the channel's event loop. Inbound buffers are accumulated and released by
 * {@link ByteToMessageDecoder}.
 */
public final class NoiseHandshakeHandler extends TimedStageDecoder {
  /** How long the whole handshake may take. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
  private static final int LENGTH_PREFIX = 2;

  /** Told how the handshake ended, on the event loop. */
  public interface Listener {
    /** Secured: add the next stage after {@code ctx.pipeline().context(NoiseEncoder.class)}. */
    void secured(ChannelHandlerContext ctx, NoiseSession session);

    void failed(ChannelHandlerContext ctx, Throwable cause);
  }

  private final NoiseHandshake handshake;
  private final Listener listener;

  public NoiseHandshakeHandler(NoiseHandshake handshake, long timeoutMillis, Listener listener) {
    super(timeoutMillis);
    this.handshake = handshake;
    this.listener = listener;
  }

  @Override protected String stageName() {
    return "noise handshake";
  }

  @Override protected Exception stageException(String message) {
    return new NoiseException(message);
  }

  @Override protected void notifyFailed(ChannelHandlerContext ctx, Throwable cause) {
    listener.failed(ctx, cause);
  }

  @Override protected void onStart(ChannelHandlerContext ctx) {
    if (handshake.isMyTurn()) {
      try {
        send(ctx, handshake.writeMessage());
      } catch (NoiseException e) {
        fail(ctx, e);
      }
    }
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      while (!isFinished() && in.readableBytes() >= LENGTH_PREFIX) {
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < LENGTH_PREFIX + length) return;
        if (handshake.isMyTurn()) throw new NoiseException("remote sent a message out of turn");
        in.skipBytes(LENGTH_PREFIX);
        byte[] message = new byte[length];
        in.readBytes(message);
        handshake.readMessage(message);
        if (!handshake.isComplete() && handshake.isMyTurn()) send(ctx, handshake.writeMessage());
        if (handshake.isComplete()) {
          complete(ctx);
          return;
        }
      }
    } catch (NoiseException | RuntimeException e) {
      in.skipBytes(in.readableBytes());
      fail(ctx, e);
    }
  }

  private void complete(ChannelHandlerContext ctx) {
    succeeded();
    NoiseSession session = handshake.session();
    String name = ctx.name();
    ctx.pipeline().addAfter(name, "noise-decoder", new NoiseDecoder(session.receiver()));
    ctx.pipeline().addAfter("noise-decoder", "noise-encoder", new NoiseEncoder(session.sender()));
    listener.secured(ctx, session);
    ctx.pipeline().remove(this);
  }

  private void send(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
    if (message.length > NoiseHandshake.MAX_MESSAGE_LENGTH) throw new NoiseException("handshake message too long");
    ByteBuf buf = ctx.alloc().buffer(LENGTH_PREFIX + message.length);
    buf.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(buf);
  }
}
