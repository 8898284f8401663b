package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.protocol.io.MessageTooLargeException;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into unsigned-varint-length-prefixed messages, for protocols with several
 * messages per stream (AutoNAT v2's dial-request). The size limit is checked on the prefix,
 * before any body byte is buffered, so at most {@code maxBytes} plus a 5-byte prefix are held.
 * Pure; not thread-safe; owns no ByteBuf.
 */
public final class DelimitedFrames {
  private static final int MAX_VARINT_BYTES = 5;

  private final int maxBytes;
  private long pendingLength;
  private int shift;
  private int varintBytes;
  private byte[] body;
  private int filled;
  private boolean failed;

  public DelimitedFrames(int maxBytes) {
    if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    this.maxBytes = maxBytes;
  }

  /**
   * Consumes {@code data[off, off+len)} and returns the messages it completed, in order.
   *
   * @throws MessageTooLargeException if a prefix announces more than the limit
   * @throws ProtocolViolationException if a prefix is not a minimal varint; after either, the
   *     stream is broken and every later call throws too
   */
  public List<byte[]> feed(byte[] data, int off, int len) throws ProtocolViolationException {
    if (failed) throw new ProtocolViolationException("stream already failed");
    List<byte[]> out = new ArrayList<>(1);
    int i = off;
    int end = off + len;
    while (i < end) {
      if (body == null) {
        int b = data[i++] & 0xFF;
        if (++varintBytes > MAX_VARINT_BYTES) throw fail(new MessageTooLargeException("length prefix longer than " + MAX_VARINT_BYTES + " bytes"));
        pendingLength |= (long) (b & 0x7F) << shift;
        shift += 7;
        if ((b & 0x80) != 0) continue;
        if (varintBytes > 1 && b == 0) throw fail(new ProtocolViolationException("non-minimal varint length prefix"));
        if (pendingLength > maxBytes) {
          throw fail(new MessageTooLargeException("message of " + pendingLength + " bytes exceeds the limit of " + maxBytes));
        }
        body = new byte[(int) pendingLength];
        filled = 0;
      }
      int n = Math.min(end - i, body.length - filled);
      System.arraycopy(data, i, body, filled, n);
      filled += n;
      i += n;
      if (filled == body.length) {
        out.add(body);
        body = null;
        pendingLength = 0;
        shift = 0;
        varintBytes = 0;
      }
    }
    return out;
  }

  /** Whether a message has started but not finished (a stream ending now is truncated). */
  public boolean midMessage() {
    return body != null || varintBytes > 0;
  }

  private ProtocolViolationException fail(ProtocolViolationException e) {
    failed = true;
    return e;
  }
}
