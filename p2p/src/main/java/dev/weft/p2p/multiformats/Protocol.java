package dev.weft.p2p.multiformats;

import java.util.HashMap;
import java.util.Map;

/**
 * The multiaddr protocol table (multiformats/multiaddr-protocols.csv): code, name, value size and
 * value format. {@code /ipfs} is accepted as an alias of {@code /p2p} and printed as {@code /p2p}.
 */
public enum Protocol {
  IP4(4, "ip4", 32, ValueCodecs.IP4),
  TCP(6, "tcp", 16, ValueCodecs.PORT),
  UDP(273, "udp", 16, ValueCodecs.PORT),
  DCCP(33, "dccp", 16, ValueCodecs.PORT),
  IP6(41, "ip6", 128, ValueCodecs.IP6),
  IP6ZONE(42, "ip6zone", Protocol.VARIABLE, ValueCodecs.STRING),
  IPCIDR(43, "ipcidr", 8, ValueCodecs.BYTE),
  DNS(53, "dns", Protocol.VARIABLE, ValueCodecs.STRING),
  DNS4(54, "dns4", Protocol.VARIABLE, ValueCodecs.STRING),
  DNS6(55, "dns6", Protocol.VARIABLE, ValueCodecs.STRING),
  DNSADDR(56, "dnsaddr", Protocol.VARIABLE, ValueCodecs.STRING),
  SCTP(132, "sctp", 16, ValueCodecs.PORT),
  UDT(301, "udt", 0, ValueCodecs.NONE),
  UTP(302, "utp", 0, ValueCodecs.NONE),
  UNIX(400, "unix", Protocol.VARIABLE, ValueCodecs.PATH),
  P2P(421, "p2p", Protocol.VARIABLE, ValueCodecs.PEER_ID),
  ONION(444, "onion", 96, ValueCodecs.ONION),
  ONION3(445, "onion3", 296, ValueCodecs.ONION3),
  GARLIC64(446, "garlic64", Protocol.VARIABLE, ValueCodecs.GARLIC64),
  GARLIC32(447, "garlic32", Protocol.VARIABLE, ValueCodecs.GARLIC32),
  TLS(448, "tls", 0, ValueCodecs.NONE),
  SNI(449, "sni", Protocol.VARIABLE, ValueCodecs.STRING),
  NOISE(454, "noise", 0, ValueCodecs.NONE),
  QUIC(460, "quic", 0, ValueCodecs.NONE),
  QUIC_V1(461, "quic-v1", 0, ValueCodecs.NONE),
  WEBTRANSPORT(465, "webtransport", 0, ValueCodecs.NONE),
  CERTHASH(466, "certhash", Protocol.VARIABLE, ValueCodecs.CERTHASH),
  HTTP(480, "http", 0, ValueCodecs.NONE),
  HTTP_PATH(481, "http-path", Protocol.VARIABLE, ValueCodecs.PERCENT),
  HTTPS(443, "https", 0, ValueCodecs.NONE),
  WS(477, "ws", 0, ValueCodecs.NONE),
  WSS(478, "wss", 0, ValueCodecs.NONE),
  P2P_WEBSOCKET_STAR(479, "p2p-websocket-star", 0, ValueCodecs.NONE),
  P2P_STARDUST(277, "p2p-stardust", 0, ValueCodecs.NONE),
  P2P_WEBRTC_STAR(275, "p2p-webrtc-star", 0, ValueCodecs.NONE),
  P2P_WEBRTC_DIRECT(276, "p2p-webrtc-direct", 0, ValueCodecs.NONE),
  WEBRTC_DIRECT(280, "webrtc-direct", 0, ValueCodecs.NONE),
  WEBRTC(281, "webrtc", 0, ValueCodecs.NONE),
  P2P_CIRCUIT(290, "p2p-circuit", 0, ValueCodecs.NONE),
  MEMORY(777, "memory", Protocol.VARIABLE, ValueCodecs.STRING);

  /** {@link #sizeBits()} of a protocol whose value is length-prefixed with a varint. */
  public static final int VARIABLE = -1;

  private static final Map<Integer, Protocol> BY_CODE = new HashMap<>();
  private static final Map<String, Protocol> BY_NAME = new HashMap<>();

  static {
    for (Protocol p : values()) {
      BY_CODE.put(p.code, p);
      BY_NAME.put(p.protocolName, p);
    }
    BY_NAME.put("ipfs", P2P);
  }

  private final int code;
  private final String protocolName;
  private final int sizeBits;
  final ValueCodec codec;

  Protocol(int code, String protocolName, int sizeBits, ValueCodec codec) {
    this.code = code;
    this.protocolName = protocolName;
    this.sizeBits = sizeBits;
    this.codec = codec;
  }

  public int code() {
    return code;
  }

  /** The name in the text form, e.g. {@code quic-v1}. */
  public String protocolName() {
    return protocolName;
  }

  /** Value size in bits, 0 for none, {@link #VARIABLE} for a length-prefixed value. */
  public int sizeBits() {
    return sizeBits;
  }

  public boolean hasValue() {
    return sizeBits != 0;
  }

  /** Whether the value is the rest of the text form ({@code /unix/tmp/x.sock}). */
  public boolean isPath() {
    return this == UNIX;
  }

  /** @throws IllegalArgumentException for a code not in the table */
  public static Protocol forCode(long code) {
    Protocol p = code >= 0 && code <= Integer.MAX_VALUE ? BY_CODE.get((int) code) : null;
    if (p == null) throw new IllegalArgumentException("unknown multiaddr protocol code " + code + " (0x" + Long.toHexString(code) + ")");
    return p;
  }

  /** @throws IllegalArgumentException for a name not in the table */
  public static Protocol forName(String name) {
    Protocol p = BY_NAME.get(name);
    if (p == null) throw new IllegalArgumentException("unknown multiaddr protocol '" + name + "'");
    return p;
  }

  @Override public String toString() {
    return protocolName;
  }
}
