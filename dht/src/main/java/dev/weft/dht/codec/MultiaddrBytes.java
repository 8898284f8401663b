package dev.weft.dht.codec;

import dev.weft.p2p.multiformats.Varint;
import java.util.Map;

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

  private static final Map<Integer, Integer> SIZES = Map.ofEntries(
      Map.entry(4, 4),        // ip4
      Map.entry(6, 2),        // tcp
      Map.entry(33, 2),       // dccp
      Map.entry(41, 16),      // ip6
      Map.entry(42, VARIABLE), // ip6zone
      Map.entry(43, 1),       // ipcidr
      Map.entry(53, VARIABLE), // dns
      Map.entry(54, VARIABLE), // dns4
      Map.entry(55, VARIABLE), // dns6
      Map.entry(56, VARIABLE), // dnsaddr
      Map.entry(132, 2),      // sctp
      Map.entry(273, 2),      // udp
      Map.entry(275, 0),      // p2p-webrtc-star
      Map.entry(276, 0),      // p2p-webrtc-direct
      Map.entry(277, 0),      // p2p-stardust
      Map.entry(280, 0),      // webrtc-direct
      Map.entry(281, 0),      // webrtc
      Map.entry(290, 0),      // p2p-circuit
      Map.entry(301, 0),      // udt
      Map.entry(302, 0),      // utp
      Map.entry(400, VARIABLE), // unix
      Map.entry(421, VARIABLE), // p2p
      Map.entry(443, 0),      // https
      Map.entry(444, 12),     // onion
      Map.entry(445, 37),     // onion3
      Map.entry(446, VARIABLE), // garlic64
      Map.entry(447, VARIABLE), // garlic32
      Map.entry(448, 0),      // tls
      Map.entry(449, VARIABLE), // sni
      Map.entry(454, 0),      // noise
      Map.entry(460, 0),      // quic
      Map.entry(461, 0),      // quic-v1
      Map.entry(465, 0),      // webtransport
      Map.entry(466, VARIABLE), // certhash
      Map.entry(477, 0),      // ws
      Map.entry(478, 0),      // wss
      Map.entry(479, 0),      // p2p-websocket-star
      Map.entry(480, 0),      // http
      Map.entry(481, VARIABLE), // http-path
      Map.entry(777, 8));     // memory

  private MultiaddrBytes() {}

  /** Whether {@code bytes} is a non-empty, well-formed multiaddr of known protocols. */
  public static boolean isValid(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_BYTES) return false;
    try {
      int o = 0;
      while (o < bytes.length) {
        Varint.Decoded code = Varint.decode(bytes, o);
        o += code.length();
        Integer size = code.value() > Integer.MAX_VALUE ? null : SIZES.get((int) code.value());
        if (size == null) return false;
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
