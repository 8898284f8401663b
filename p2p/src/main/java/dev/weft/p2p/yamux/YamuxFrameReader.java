package dev.weft.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Splits a byte stream into Yamux frames without copying payloads: a Data frame's payload is
 * handed on in as many chunks as it arrived in (slices of the input), so a 256 KiB frame never
 * has to be buffered whole. Only a header split across reads is copied (12 bytes).
 *
 * <p>Not thread-safe. Chunks passed to {@link Listener#onData} are borrowed slices of the buffer
 * given to {@link #read}; the caller of {@code read} keeps ownership of that buffer.
 */
public final class YamuxFrameReader {
  /** Receives frames in order. */
  public interface Listener {
    /** A header; for a Data frame, its payload follows through {@link #onData}. */
    void onHeader(YamuxFrame.Header header) throws YamuxException;

    /** Part of the current Data frame's payload (borrowed). */
    void onData(ByteBuf chunk) throws YamuxException;

    /** The frame announced by the last header is complete (payload included). */
    void onFrameEnd(YamuxFrame.Header header) throws YamuxException;
  }

  private final long maxDataLength;
  private final Listener listener;
  private final ByteBuf partialHeader = Unpooled.buffer(YamuxFrame.HEADER_LENGTH, YamuxFrame.HEADER_LENGTH);
  private YamuxFrame.Header current;
  private long remaining;

  /** @param maxDataLength longest Data payload accepted; longer ones are a protocol error */
  public YamuxFrameReader(long maxDataLength, Listener listener) {
    this.maxDataLength = maxDataLength;
    this.listener = listener;
  }

  /** Consumes all of {@code in}. */
  public void read(ByteBuf in) throws YamuxException {
    while (in.isReadable()) {
      if (current == null) {
        YamuxFrame.Header h;
        if (partialHeader.writerIndex() == 0 && in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
          h = YamuxFrame.readHeader(in);
        } else {
          int n = Math.min(in.readableBytes(), partialHeader.writableBytes());
          partialHeader.writeBytes(in, n);
          if (partialHeader.isWritable()) return;
          h = YamuxFrame.readHeader(partialHeader);
          partialHeader.clear();
        }
        if (h.type() == YamuxFrame.TYPE_DATA && h.length() > maxDataLength) {
          throw new YamuxException("data frame of " + h.length() + " bytes exceeds " + maxDataLength);
        }
        current = h;
        remaining = h.type() == YamuxFrame.TYPE_DATA ? h.length() : 0;
        listener.onHeader(h);
      }
      if (remaining > 0) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (n == 0) return;
        remaining -= n;
        listener.onData(in.readSlice(n));
      }
      if (remaining == 0) {
        YamuxFrame.Header done = current;
        current = null;
        listener.onFrameEnd(done);
      }
    }
  }
}
