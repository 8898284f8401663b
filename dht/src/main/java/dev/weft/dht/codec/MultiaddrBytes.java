package dev.weft.dht.codec;

import dev.weft.p2p.multiformats.Varint;

/**
 * Checks that bytes are a well-formed binary multiaddr (multiformats/multiaddr, protocol table
 * multicodec): every component's code is known and its value has the length its protocol
 * demands. The DHT carries addresses as these raw bytes until p2p's full {@code Multiaddr} is
 * used; a peer that sends malformed ones is misbehaving.
 */
public final class MultiaddrBytes {
  /** Longest address accepted; real ones are well under 100 bytes, certhash ones a few hundred. */
  public static final int MAX_BYTES = 1024;

  /** Value size: fixed bytes (>= 0) or {@link #VARIABLE} (uvarint length prefix). */
  private static final int VARIABLE = -1;

  /** Marks a code outside the table. */
  private static final int UNKNOWN = -2;

  /** Value size of protocol {@code code} (multicodec table), {@link #VARIABLE} or {@link #UNKNOWN}. */
  private static int size(long code) {
    return switch ((int) Math.min(code, Integer.MAX_VALUE)) {
      case 4 -> 4;                 // ip4
      case 6, 33, 132, 273 -> 2;   // tcp, dccp, sctp, udp
      case 41 -> 16;               // ip6
      case 43 -> 1;                // ipcidr
      case 444 -> 12;              // onion
      case 445 -> 37;              // onion3
      case 777 -> 8;               // memory
      // ip6zone, dns, dns4, dns6, dnsaddr, unix, p2p, garlic64, garlic32, sni, certhash, http-path
      case 42, 53, 54, 55, 56, 400, 421, 446, 447, 449, 466, 481 -> VARIABLE;
      // p2p-webrtc-star, p2p-webrtc-direct, p2p-stardust, webrtc-direct, webrtc, p2p-circuit, udt, utp,
      // https, tls, noise, quic, quic-v1, webtransport, ws, wss, p2p-websocket-star, http
      case 275, 276, 277, 280, 281, 290, 301, 302, 443, 448, 454, 460, 461, 465, 477, 478, 479, 480 -> 0;
      default -> UNKNOWN;
    };
  }

  private MultiaddrBytes() {}

  /** Whether {@code bytes} is a non-empty, well-formed multiaddr of known protocols. */
  public static boolean isValid(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_BYTES) return false;
    try {
      int o = 0;
      while (o < bytes.length) {
        Varint.Decoded code = Varint.decode(bytes, o);
        o += code.length();
        int size = size(code.value());
        if (size == UNKNOWN) return false;
        int len = size;
        if (size == VARIABLE) {
          Varint.Decoded l = Varint.decode(bytes, o);
          o += l.length();
          if (l.value() == 0 || l.value() > bytes.length - o) return false;
          len = (int) l.value();
        }
        if (len > bytes.length - o) return false;
        o += len;
      }
      return true;
    } catch (IllegalArgumentException e) {
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
