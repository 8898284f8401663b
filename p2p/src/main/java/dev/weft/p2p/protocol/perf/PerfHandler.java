package dev.weft.p2p.protocol.perf;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.protocol.io.ChunkedWriter;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The server side of one perf stream:
 * <pre>
 *   HEADER --8 bytes--> UPLOAD --remote FIN--> SENDING --all sent--> closeWrite
 * </pre>
 * Bytes of the upload are counted and dropped. A stream idle for
 * {@link PerfProtocol#IDLE_TIMEOUT_MILLIS}, or asking for more than the configured maximum, is
 * reset. Runs on the stream's thread.
 */
final class PerfHandler implements StreamHandler {
  /** The bytes we send: perf says any predetermined bytes will do; zeros cost nothing to make. */
  static final byte[] ZEROS = new byte[ChunkedWriter.CHUNK_BYTES];

  private final Scheduler scheduler;
  private final long maxDownload;
  private final byte[] header = new byte[PerfProtocol.HEADER_BYTES];
  private int headerFilled;
  private long toSend = -1;
  private final Cancellable idleCheck;
  private volatile long lastProgress;

  PerfHandler(Scheduler scheduler, long maxDownload, Stream stream) {
    this.scheduler = scheduler;
    this.maxDownload = maxDownload;
    this.lastProgress = scheduler.nowMillis();
    long period = PerfProtocol.IDLE_TIMEOUT_MILLIS / 4;
    this.idleCheck = scheduler.scheduleAtFixedRate(period, period, () -> {
      if (scheduler.nowMillis() - lastProgress >= PerfProtocol.IDLE_TIMEOUT_MILLIS) stream.reset();
    });
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    lastProgress = scheduler.nowMillis();
    if (toSend < 0) {
      int n = Math.min(data.readableBytes(), header.length - headerFilled);
      data.readBytes(header, headerFilled, n);
      headerFilled += n;
      if (headerFilled < header.length) return;
      long asked = Unpooled.wrappedBuffer(header).readLong();
      if (asked < 0 || asked > maxDownload) {
        stream.reset();
        return;
      }
      toSend = asked;
    }
    data.skipBytes(data.readableBytes());
  }

  @Override public void onRemoteClosed(Stream stream) {
    if (toSend < 0) {
      stream.reset();
      return;
    }
    new ChunkedWriter(stream, toSend, (offset, len) -> {
      lastProgress = scheduler.nowMillis();
      return Unpooled.wrappedBuffer(ZEROS, 0, len);
    }, scheduler::execute).start().whenComplete((v, e) -> {
      if (e == null) stream.closeWrite();
      else stream.reset();
    });
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    idleCheck.cancel();
  }
}
