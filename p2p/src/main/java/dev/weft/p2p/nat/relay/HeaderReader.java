package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.MessageTooLargeException;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Reads the one varint-length-prefixed message that heads a hop or stop stream — a size limit
 * checked before any body byte is buffered, and a deadline — and then hands the stream on
 * without losing a byte: once the message is complete it detaches itself
 * ({@code setHandler(null)}, so the stream buffers again) and gives the listener the body and
 * whatever came after it in the same read. That rest is the start of the relayed connection (a
 * multistream header sent right behind a STATUS), which the next layer must see first.
 *
 * <p>Runs on the stream's thread; the listener is called there, once. Ownership: the {@code rest}
 * buffer passed to {@link Listener#onMessage} belongs to the listener (release it, or hand it
 * on); it is null when nothing followed the message. Nothing else is retained.
 */
final class HeaderReader implements StreamHandler {
  /** What a read ended in. */
  interface Listener {
    /** The message's body, and the bytes after it ({@code rest}, owned by the listener, or null). */
    void onMessage(Stream stream, byte[] body, ByteBuf rest);

    /**
     * No message: too large ({@link MessageTooLargeException}), malformed prefix
     * ({@link ProtocolViolationException}), too slow ({@link TimeoutException}), or the stream ended
     * ({@link IOException}). The stream is left as it is: the listener answers or resets it.
     */
    void onFailed(Stream stream, Throwable cause);
  }

  private static final int MAX_PREFIX_BYTES = 5;

  private final int maxBytes;
  private final Listener listener;
  private final Cancellable timer;
  private final byte[] prefix = new byte[MAX_PREFIX_BYTES];
  private int prefixBytes;
  private byte[] body;
  private int filled;
  private boolean done;

  private HeaderReader(int maxBytes, Listener listener, Cancellable timer) {
    this.maxBytes = maxBytes;
    this.listener = listener;
    this.timer = timer;
  }

  /** Installs a reader on {@code stream}, failing with a timeout after {@code timeoutMillis}. */
  static void read(Stream stream, int maxBytes, long timeoutMillis, Scheduler scheduler, Listener listener) {
    HeaderReader[] self = new HeaderReader[1];
    Cancellable t = scheduler.schedule(timeoutMillis, () -> {
      if (self[0] != null) self[0].timedOut(stream, timeoutMillis);
    });
    self[0] = new HeaderReader(maxBytes, listener, t);
    stream.setHandler(self[0]);
  }

  /** The message as it goes on the wire: varint length, then the body. */
  static ByteBuf frame(byte[] body) {
    return Unpooled.wrappedBuffer(Varint.encode(body.length), body);
  }

  private synchronized void timedOut(Stream stream, long timeoutMillis) {
    fail(stream, new TimeoutException("no complete relay message within " + timeoutMillis + " ms"));
  }

  @Override public synchronized void onData(Stream stream, ByteBuf data) {
    if (done) return;
    while (body == null && data.isReadable()) {
      byte b = data.readByte();
      prefix[prefixBytes++] = b;
      if ((b & 0x80) == 0) {
        long length;
        try {
          length = Varint.decode(prefix, 0).value();
        } catch (RuntimeException e) {
          fail(stream, new ProtocolViolationException("malformed length prefix: " + e.getMessage()));
          return;
        }
        if (length > maxBytes) {
          fail(stream, new MessageTooLargeException("relay message of " + length + " bytes exceeds " + maxBytes));
          return;
        }
        body = new byte[(int) length];
      } else if (prefixBytes == MAX_PREFIX_BYTES) {
        fail(stream, new MessageTooLargeException("length prefix longer than " + MAX_PREFIX_BYTES + " bytes"));
        return;
      }
    }
    if (body == null) return;
    int n = Math.min(data.readableBytes(), body.length - filled);
    data.readBytes(body, filled, n);
    filled += n;
    if (filled < body.length) return;
    done = true;
    timer.cancel();
    stream.setHandler(null);
    ByteBuf rest = data.isReadable() ? data.readRetainedSlice(data.readableBytes()) : null;
    listener.onMessage(stream, body, rest);
  }

  @Override public synchronized void onRemoteClosed(Stream stream) {
    fail(stream, new IOException("stream ended before a complete relay message"));
  }

  @Override public synchronized void onClosed(Stream stream, Throwable cause) {
    fail(stream, cause != null ? cause : new IOException("stream closed before a complete relay message"));
  }

  private void fail(Stream stream, Throwable cause) {
    if (done) return;
    done = true;
    timer.cancel();
    listener.onFailed(stream, cause);
  }
}
