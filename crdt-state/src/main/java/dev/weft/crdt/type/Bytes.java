package dev.weft.crdt.type;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string (a register's value), ordered unsigned-lexicographically. */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);
  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes of(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  public static Bytes utf8(String s) {
    return new Bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes {@code bytes} without copying: the caller hands over the array. */
  static Bytes adopt(byte[] bytes) {
    return new Bytes(bytes);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  byte[] unsafeArray() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  public String asUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override public String toString() {
    return bytes.length <= 32 ? HexFormat.of().formatHex(bytes) : HexFormat.of().formatHex(bytes, 0, 32) + "…(" + bytes.length + ")";
  }
}
