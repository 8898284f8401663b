package dev.weft.p2p.protocol.perf;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.protocol.io.ChunkedWriter;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The client side of one perf stream: header, upload, close write, then count the download until
 * the server closes. Fails if the server sends more or fewer bytes than asked, or makes no progress
 * for {@link PerfProtocol#IDLE_TIMEOUT_MILLIS}. Callbacks run on the stream's thread.
 */
final class PerfClient implements StreamHandler {
  private final Scheduler scheduler;
  private final LongSupplier nanos;
  private final long upload;
  private final long download;
  private final CompletableFuture<PerfResult> result = new CompletableFuture<>();
  private long start;
  private long firstByteAt = -1;
  private long received;
  private volatile long lastProgress;
  private Cancellable idleCheck;

  PerfClient(Scheduler scheduler, LongSupplier nanos, long upload, long download) {
    if (upload < 0 || download < 0) throw new IllegalArgumentException("byte counts must not be negative");
    this.scheduler = scheduler;
    this.nanos = nanos;
    this.upload = upload;
    this.download = download;
  }

  CompletableFuture<PerfResult> start(Stream stream) {
    start = nanos.getAsLong();
    lastProgress = scheduler.nowMillis();
    long period = PerfProtocol.IDLE_TIMEOUT_MILLIS / 4;
    idleCheck = scheduler.scheduleAtFixedRate(period, period, () -> {
      if (scheduler.nowMillis() - lastProgress >= PerfProtocol.IDLE_TIMEOUT_MILLIS) {
        fail(stream, new TimeoutException("perf made no progress for " + PerfProtocol.IDLE_TIMEOUT_MILLIS + " ms"));
      }
    });
    stream.setHandler(this);
    stream.write(Unpooled.buffer(PerfProtocol.HEADER_BYTES).writeLong(download));
    new ChunkedWriter(stream, upload, (offset, len) -> {
      lastProgress = scheduler.nowMillis();
      return Unpooled.wrappedBuffer(PerfHandler.ZEROS, 0, len);
    }, scheduler::execute).start().whenComplete((v, e) -> {
      if (e != null) fail(stream, e);
      else stream.closeWrite();
    });
    return result;
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    if (result.isDone()) return;
    lastProgress = scheduler.nowMillis();
    if (firstByteAt < 0) firstByteAt = nanos.getAsLong();
    received += data.readableBytes();
    data.skipBytes(data.readableBytes());
    if (received > download) fail(stream, new ProtocolViolationException("perf server sent more than the " + download + " bytes asked"));
  }

  @Override public void onRemoteClosed(Stream stream) {
    if (result.isDone()) return;
    if (received != download) {
      fail(stream, new IOException("perf server closed after " + received + " of " + download + " bytes"));
      return;
    }
    long end = nanos.getAsLong();
    long answerAt = firstByteAt < 0 ? end : firstByteAt;
    idleCheck.cancel();
    result.complete(new PerfResult(upload, download, answerAt - start, end - answerAt));
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    if (!result.isDone()) {
      idleCheck.cancel();
      result.completeExceptionally(cause != null ? cause : new IOException("perf stream closed early"));
    }
  }

  private void fail(Stream stream, Throwable cause) {
    if (idleCheck != null) idleCheck.cancel();
    if (result.completeExceptionally(cause)) stream.reset();
  }
}
