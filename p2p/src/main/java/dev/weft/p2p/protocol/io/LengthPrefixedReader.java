package dev.weft.p2p.protocol.io;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Reads one unsigned-varint-length-prefixed message from a stream, with a size limit checked
 * before any body byte is buffered and a deadline. Install with {@link Stream#setHandler}; the
 * {@link #result()} completes with the body (bytes after the message are ignored) or fails with
 * {@link MessageTooLargeException}, a {@link TimeoutException}, or an {@link IOException} if the
 * stream ends first. On failure the stream is reset.
 *
 * <p>Runs on the stream's thread; owns no ByteBuf (copies what it keeps).
 */
public final class LengthPrefixedReader implements StreamHandler {
  /** A varint longer than this cannot describe a length we accept. */
  private static final int MAX_VARINT_BYTES = 5;

  private final int maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final Cancellable timer;
  private long length = -1;
  private long pendingLength;
  private int shift;
  private int varintBytes;
  private byte[] body;
  private int filled;

  public LengthPrefixedReader(int maxBytes, long timeoutMillis, Scheduler scheduler, Stream stream) {
    this.maxBytes = maxBytes;
    this.timer = scheduler.schedule(timeoutMillis, () -> fail(stream, new TimeoutException("no complete message within " + timeoutMillis + " ms")));
  }

  public CompletableFuture<byte[]> result() {
    return result;
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    if (result.isDone()) return;
    while (data.isReadable() && length < 0) {
      int b = data.readUnsignedByte();
      if (++varintBytes > MAX_VARINT_BYTES) {
        fail(stream, new MessageTooLargeException("length prefix longer than " + MAX_VARINT_BYTES + " bytes"));
        return;
      }
      long acc = pendingLength | ((long) (b & 0x7f) << shift);
      pendingLength = acc;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (varintBytes > 1 && b == 0) {
          fail(stream, new ProtocolViolationException("non-minimal varint length prefix"));
          return;
        }
        if (acc > maxBytes) {
          fail(stream, new MessageTooLargeException("message of " + acc + " bytes exceeds the limit of " + maxBytes));
          return;
        }
        length = acc;
        body = new byte[(int) acc];
      }
    }
    if (length < 0) return;
    int n = Math.min(data.readableBytes(), body.length - filled);
    data.readBytes(body, filled, n);
    filled += n;
    if (filled == body.length) {
      timer.cancel();
      result.complete(body);
    }
  }

  @Override public void onRemoteClosed(Stream stream) {
    if (!result.isDone()) fail(stream, new IOException("stream ended before a complete message (" + filled + " of " + length + " bytes)"));
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    if (!result.isDone()) {
      timer.cancel();
      result.completeExceptionally(cause != null ? cause : new IOException("stream closed before a complete message"));
    }
  }

  private void fail(Stream stream, Throwable cause) {
    timer.cancel();
    if (result.completeExceptionally(cause)) stream.reset();
  }
}
