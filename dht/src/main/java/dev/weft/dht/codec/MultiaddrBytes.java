package dev.weft.dht.codec;

import dev.weft.p2p.multiformats.Multiaddr;

/**
 * Checks on binary multiaddrs as the DHT carries them (raw bytes in messages and records): a peer
 * that sends a malformed one is misbehaving.
 */
public final class MultiaddrBytes {
  /** Longest address accepted; real ones are well under 100 bytes, certhash ones a few hundred. */
  public static final int MAX_BYTES = 1024;

  private MultiaddrBytes() {}

  /**
   * Whether {@code bytes} is a non-empty, well-formed multiaddr of known protocols: p2p's
   * {@link Multiaddr#fromBytes} is the authority (protocol table, value validity, size limits).
   */
  public static boolean isValid(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_BYTES) return false;
    try {
      Multiaddr.fromBytes(bytes);
      return true;
    } catch (RuntimeException e) {
      // fromBytes documents IllegalArgumentException; anything else from hostile bytes is also "invalid"
      return false;
    }
  }

  /** Whether the address is on a loopback or private IPv4/IPv6 range (js drops these). */
  public static boolean isPrivateOrLoopback(byte[] bytes) {
    if (bytes.length >= 5 && bytes[0] == 4) {
      int a = bytes[1] & 0xFF, b = bytes[2] & 0xFF;
      return a == 127 || a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) || (a == 169 && b == 254);
    }
    if (bytes.length >= 17 && bytes[0] == 41) {
      boolean loopback = true;
      for (int i = 1; i < 16; i++) loopback &= bytes[i] == 0;
      return (loopback && bytes[16] == 1) || (bytes[1] & 0xFE) == 0xFC || ((bytes[1] & 0xFF) == 0xFE && (bytes[2] & 0xC0) == 0x80);
    }
    return false;
  }
}
