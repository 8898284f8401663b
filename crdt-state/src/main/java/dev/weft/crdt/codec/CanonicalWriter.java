package dev.weft.crdt.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the canonical encoding (docs/crdt.md, "Encoding"): unsigned LEB128 varints of minimal
 * length, strings and blobs as a varint length then the bytes, fixed 64-bit integers big-endian.
 * Collections are written by their owners in sorted order, so equal values have equal bytes on
 * every peer and signatures and digests over them agree.
 */
public final class CanonicalWriter {
  private final ByteArrayOutputStream out;

  public CanonicalWriter() {
    this(64);
  }

  public CanonicalWriter(int initialCapacity) {
    out = new ByteArrayOutputStream(initialCapacity);
  }

  public CanonicalWriter varint(long value) {
    if (value < 0) throw new IllegalArgumentException("varints are unsigned: " + value);
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  public CanonicalWriter u8(int value) {
    out.write(value & 0xFF);
    return this;
  }

  public CanonicalWriter fixed64(long value) {
    for (int i = 56; i >= 0; i -= 8) out.write((int) (value >>> i) & 0xFF);
    return this;
  }

  public CanonicalWriter string(String s) {
    return blob(s.getBytes(StandardCharsets.UTF_8));
  }

  public CanonicalWriter blob(byte[] bytes) {
    varint(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** Appends bytes already canonically encoded (no length prefix). */
  public CanonicalWriter raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
