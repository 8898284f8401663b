package dev.weft.p2p.nat.mapping;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP messages (RFC 6886): requests to encode, responses to check and decode. Stateless; a
 * response of the wrong version, opcode or length is a violation, whatever it says.
 */
public final class NatPmpCodec {
  private NatPmpCodec() {}

  public static final int PORT = 5351;
  public static final int OP_EXTERNAL_ADDRESS = 0;
  public static final int OP_MAP_UDP = 1;
  public static final int OP_MAP_TCP = 2;

  /** Result codes (RFC 6886 3.5). */
  public enum Result {
    SUCCESS, UNSUPPORTED_VERSION, NOT_AUTHORIZED, NETWORK_FAILURE, OUT_OF_RESOURCES, UNSUPPORTED_OPCODE;

    static Result of(int code) throws ProtocolViolationException {
      if (code < 0 || code >= values().length) throw new ProtocolViolationException("unknown NAT-PMP result code " + code);
      return values()[code];
    }
  }

  public record ExternalAddress(Result result, long epochSeconds, Inet4Address address) {}

  public record Mapping(Result result, int opcode, long epochSeconds, int internalPort, int externalPort, long lifetimeSeconds) {}

  public static byte[] externalAddressRequest() {
    return new byte[] {0, OP_EXTERNAL_ADDRESS};
  }

  /** @param lifetimeSeconds 0 removes the mapping (then suggestedExternalPort must be 0) */
  public static byte[] mapRequest(int opcode, int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
    if (opcode != OP_MAP_UDP && opcode != OP_MAP_TCP) throw new IllegalArgumentException("opcode " + opcode);
    if (internalPort < 1 || internalPort > 65535) throw new IllegalArgumentException("internal port " + internalPort);
    if (suggestedExternalPort < 0 || suggestedExternalPort > 65535) throw new IllegalArgumentException("external port " + suggestedExternalPort);
    if (lifetimeSeconds < 0 || lifetimeSeconds > 0xFFFF_FFFFL) throw new IllegalArgumentException("lifetime " + lifetimeSeconds);
    return ByteBuffer.allocate(12).put((byte) 0).put((byte) opcode).putShort((short) 0).putShort((short) internalPort)
        .putShort((short) suggestedExternalPort).putInt((int) lifetimeSeconds).array();
  }

  public static ExternalAddress decodeExternalAddress(byte[] b, int len) throws ProtocolViolationException {
    ByteBuffer in = header(b, len, OP_EXTERNAL_ADDRESS, 12);
    Result r = Result.of(in.getShort() & 0xFFFF);
    long epoch = in.getInt() & 0xFFFF_FFFFL;
    byte[] ip = new byte[4];
    in.get(ip);
    try {
      return new ExternalAddress(r, epoch, (Inet4Address) InetAddress.getByAddress(ip));
    } catch (UnknownHostException e) {
      throw new ProtocolViolationException("bad address in NAT-PMP response", e);
    }
  }

  public static Mapping decodeMapping(byte[] b, int len, int opcode) throws ProtocolViolationException {
    ByteBuffer in = header(b, len, opcode, 16);
    Result r = Result.of(in.getShort() & 0xFFFF);
    long epoch = in.getInt() & 0xFFFF_FFFFL;
    int internal = in.getShort() & 0xFFFF;
    int external = in.getShort() & 0xFFFF;
    long lifetime = in.getInt() & 0xFFFF_FFFFL;
    return new Mapping(r, opcode, epoch, internal, external, lifetime);
  }

  private static ByteBuffer header(byte[] b, int len, int opcode, int expectedLen) throws ProtocolViolationException {
    if (len < 4) throw new ProtocolViolationException("NAT-PMP response of " + len + " bytes");
    if (b[0] != 0) throw new ProtocolViolationException("NAT-PMP version " + (b[0] & 0xFF));
    if ((b[1] & 0xFF) != 128 + opcode) throw new ProtocolViolationException("NAT-PMP opcode " + (b[1] & 0xFF) + ", expected " + (128 + opcode));
    int code = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    // An error response may be short (RFC 6886 3.5: the fixed part is always sent); a success must be whole.
    if (len < expectedLen && code == 0) throw new ProtocolViolationException("NAT-PMP response of " + len + " bytes, expected " + expectedLen);
    if (len < expectedLen) {
      byte[] padded = new byte[expectedLen];
      System.arraycopy(b, 0, padded, 0, len);
      b = padded;
    }
    ByteBuffer in = ByteBuffer.wrap(b, 0, expectedLen);
    in.position(2);
    return in;
  }
}
