package dev.weft.p2p.multiformats;

import java.io.ByteArrayOutputStream;

/**
 * Unsigned LEB128 varints as in multiformats/unsigned-varint: at most 9 bytes (63 bits), minimal
 * encoding required (a trailing 0x00 continuation byte is rejected, as the spec asks).
 */
public final class Varint {
  /** The spec caps varints at 9 bytes, i.e. values below 2^63. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Bytes needed to encode {@code value} (which must be non-negative). */
  public static int size(long value) {
    requireNonNegative(value);
    int n = 1;
    while ((value >>>= 7) != 0) n++;
    return n;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    requireNonNegative(value);
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  public static void write(long value, ByteArrayOutputStream out) {
    byte[] b = encode(value);
    out.write(b, 0, b.length);
  }

  /** A decoded value and how many bytes it took. */
  public record Decoded(long value, int length) {}

  /**
   * Decodes the varint at {@code offset}.
   *
   * @throws IllegalArgumentException if it is truncated, longer than 9 bytes or not minimal
   */
  public static Decoded decode(byte[] in, int offset) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= in.length) throw new IllegalArgumentException("truncated varint");
      int b = in[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) throw new IllegalArgumentException("varint not minimally encoded");
        return new Decoded(value, i + 1);
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  private static void requireNonNegative(long value) {
    if (value < 0) throw new IllegalArgumentException("unsigned varint cannot hold " + value);
  }
}
