package dev.weft.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts outbound bytes into noise-libp2p transport messages. Writes are held until
 * {@code flush} and then sealed together into as few messages as possible (each at most
 * {@link #MAX_PLAINTEXT} bytes of plaintext), so many small writes (Yamux headers) cost one AEAD
 * message, not one each.
 *
 * <p>Thread: the event loop. Ownership: takes every written ByteBuf and releases it once sealed
 * (or on failure); the promises of a flush complete when its last message is written.
 */
public final class NoiseEncoder extends ChannelOutboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(NoiseEncoder.class);
  /** A Noise message holds at most 65535 bytes, 16 of them the tag. */
  public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_LENGTH;
  private static final int LENGTH_PREFIX = 2;

  private final CipherState cipher;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
  private final List<ChannelPromise> promises = new ArrayList<>();
  private long pendingBytes;

  public NoiseEncoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new IllegalArgumentException("NoiseEncoder accepts ByteBufs only, got " + msg.getClass()));
      return;
    }
    if (buf.isReadable()) {
      pending.add(buf);
      pendingBytes += buf.readableBytes();
    } else {
      buf.release();
    }
    if (!promise.isVoid()) promises.add(promise);
  }

  @Override public void flush(ChannelHandlerContext ctx) {
    if (pending.isEmpty() && promises.isEmpty()) {
      ctx.flush();
      return;
    }
    List<ChannelPromise> done = new ArrayList<>(promises);
    promises.clear();
    ChannelPromise last = null;
    try {
      while (pendingBytes > 0) {
        int chunk = (int) Math.min(pendingBytes, MAX_PLAINTEXT);
        ByteBuf out = seal(ctx, chunk);
        last = ctx.newPromise();
        ctx.write(out, last);
      }
    } catch (NoiseException | RuntimeException e) {
      releasePending();
      LOG.debug("closing {}: encryption failed: {}", ctx.channel(), e.getMessage());
      for (ChannelPromise p : done) p.tryFailure(e);
      ctx.close();
      return;
    }
    if (last == null) {
      for (ChannelPromise p : done) p.trySuccess();
    } else if (!done.isEmpty()) {
      last.addListener(f -> {
        for (ChannelPromise p : done) {
          if (f.isSuccess()) p.trySuccess(); else p.tryFailure(f.cause());
        }
      });
    }
    ctx.flush();
  }

  /**
   * Seals the next {@code plainLength} pending bytes into one framed message: copies them into a
   * heap buffer after the length prefix and encrypts in place there (arrays are where the JDK
   * cipher is fast; the one copy replaces the one Netty would make anyway).
   */
  private ByteBuf seal(ChannelHandlerContext ctx, int plainLength) throws NoiseException {
    int frameLength = plainLength + CipherState.TAG_LENGTH;
    ByteBuf out = ctx.alloc().heapBuffer(LENGTH_PREFIX + frameLength);
    try {
      out.writeShort(frameLength);
      int remaining = plainLength;
      while (remaining > 0) {
        ByteBuf head = pending.peek();
        int n = Math.min(remaining, head.readableBytes());
        out.writeBytes(head, n);
        remaining -= n;
        pendingBytes -= n;
        if (!head.isReadable()) pending.poll().release();
      }
      cipher.encryptInPlace(out.array(), out.arrayOffset() + LENGTH_PREFIX, plainLength);
      out.writerIndex(LENGTH_PREFIX + frameLength);
      return out;
    } catch (NoiseException | RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private void releasePending() {
    ByteBuf b;
    while ((b = pending.poll()) != null) b.release();
    pendingBytes = 0;
  }

  @Override public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    flush(ctx);
    ctx.close(promise);
  }

  @Override public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
    for (ChannelPromise p : promises) p.tryFailure(new IllegalStateException("channel closed before flush"));
    promises.clear();
  }
}
