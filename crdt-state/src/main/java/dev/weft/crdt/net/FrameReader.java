package dev.weft.crdt.net;

import dev.weft.crdt.codec.MalformedEncodingException;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into uvarint-length-prefixed frames, refusing a frame longer than the
 * limit as soon as its prefix arrives (before buffering it). Holds at most one partial frame.
 */
final class FrameReader {
  private final int maxFrameBytes;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long length = -1;
  private long lenValue;
  private int lenShift;

  FrameReader(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Reads {@code data} (borrowed: not retained) and returns the frames it completed. */
  List<byte[]> feed(ByteBuf data) throws MalformedEncodingException {
    List<byte[]> out = new ArrayList<>();
    while (data.isReadable()) {
      if (length < 0) {
        int b = data.readByte() & 0xFF;
        lenValue |= (long) (b & 0x7F) << lenShift;
        lenShift += 7;
        if ((b & 0x80) != 0) {
          if (lenShift > 35) throw new MalformedEncodingException("frame length prefix too long");
          continue;
        }
        if (lenValue > maxFrameBytes) throw new MalformedEncodingException("frame of " + lenValue + " bytes exceeds " + maxFrameBytes);
        length = lenValue;
        lenValue = 0;
        lenShift = 0;
      }
      int take = (int) Math.min(data.readableBytes(), length - partial.size());
      byte[] chunk = new byte[take];
      data.readBytes(chunk);
      partial.write(chunk, 0, take);
      if (partial.size() == length) {
        out.add(partial.toByteArray());
        partial.reset();
        length = -1;
      }
    }
    return out;
  }

  boolean hasPartial() {
    return length >= 0 || lenShift > 0;
  }

  static byte[] frame(byte[] payload) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(payload.length + 5);
    long v = payload.length;
    while ((v & ~0x7FL) != 0) {
      o.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
    o.write(payload, 0, payload.length);
    return o.toByteArray();
  }
}
