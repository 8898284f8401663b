package dev.weft.node.round.msg;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A round participant, named by its 32-byte signing key. Ordered as unsigned bytes, which is also
 * the order of {@link #hex()}: the aggregation key, so every peer sorts contributions identically.
 */
public record PeerKey(byte[] bytes) implements Comparable<PeerKey> {
  public static final int BYTES = 32;

  public PeerKey {
    if (bytes == null || bytes.length != BYTES) {
      throw new IllegalArgumentException("peer key must be " + BYTES + " bytes");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 8 hex digits, for logs. */
  public String shortName() {
    return hex().substring(0, 8);
  }

  @Override
  public int compareTo(PeerKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return shortName();
  }
}
