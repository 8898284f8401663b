package dev.weft.p2p.multiformats;

import java.util.Arrays;

/**
 * A multiaddr (multiformats/multiaddr.md). PLACEHOLDER for the binary form only, so the api
 * compiles; the full implementation (string form, protocol table, accessors) replaces it.
 */
public final class Multiaddr {
  private final byte[] bytes;

  private Multiaddr(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Multiaddr fromBytes(byte[] bytes) {
    return new Multiaddr(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override public boolean equals(Object o) {
    return o instanceof Multiaddr m && Arrays.equals(m.bytes, bytes);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
