package dev.weft.p2p.protocol.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.protocol.identify.pb.Identify;
import java.util.ArrayList;
import java.util.List;

/** Bytes ↔ {@link IdentifyInfo}. Stateless; decoding bounds every list and checks the key. */
public final class IdentifyCodec {
  private IdentifyCodec() {}

  /** The protobuf body (no length prefix). */
  public static byte[] encode(IdentifyInfo info) {
    Identify.Builder b = Identify.newBuilder();
    if (info.protocolVersion() != null) b.setProtocolVersion(info.protocolVersion());
    if (info.agentVersion() != null) b.setAgentVersion(info.agentVersion());
    if (info.publicKey() != null) b.setPublicKey(ByteString.copyFrom(info.publicKey().marshal()));
    for (Multiaddr a : info.listenAddrs()) b.addListenAddrs(ByteString.copyFrom(a.bytes()));
    if (info.observedAddr() != null) b.setObservedAddr(ByteString.copyFrom(info.observedAddr().bytes()));
    b.addAllProtocols(info.protocols());
    if (info.signedPeerRecord() != null) b.setSignedPeerRecord(ByteString.copyFrom(info.signedPeerRecord()));
    return b.build().toByteArray();
  }

  /** The message with its unsigned-varint length prefix, as sent on the wire. */
  public static byte[] encodeDelimited(IdentifyInfo info) {
    byte[] body = encode(info);
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /**
   * Decodes a protobuf body. Unparseable addresses are skipped (counted), lists are truncated to
   * the {@link IdentifyProtocol} limits, an invalid public key or protobuf is an error.
   *
   * @throws ProtocolViolationException if the message is not a valid identify message
   */
  public static IdentifyInfo decode(byte[] body) throws ProtocolViolationException {
    if (body.length > IdentifyProtocol.MAX_MESSAGE_BYTES) throw new ProtocolViolationException("identify message too large: " + body.length);
    Identify m;
    try {
      m = Identify.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed identify protobuf: " + e.getMessage(), e);
    }
    PubKey key = null;
    if (m.hasPublicKey()) {
      try {
        key = Keys.unmarshalPublicKey(m.getPublicKey().toByteArray());
      } catch (RuntimeException e) {
        throw new ProtocolViolationException("invalid public key in identify: " + e.getMessage(), e);
      }
    }
    List<Multiaddr> addrs = new ArrayList<>();
    int skipped = 0;
    for (ByteString a : m.getListenAddrsList()) {
      if (addrs.size() >= IdentifyProtocol.MAX_LISTEN_ADDRS) {
        skipped++;
        continue;
      }
      try {
        addrs.add(Multiaddr.fromBytes(a.toByteArray()));
      } catch (RuntimeException e) {
        skipped++;
      }
    }
    Multiaddr observed = null;
    if (m.hasObservedAddr()) {
      try {
        observed = Multiaddr.fromBytes(m.getObservedAddr().toByteArray());
      } catch (RuntimeException e) {
        observed = null; // an unreadable observed address only loses NAT hints
      }
    }
    List<String> protocols = new ArrayList<>();
    for (String p : m.getProtocolsList()) {
      if (protocols.size() >= IdentifyProtocol.MAX_PROTOCOLS) break;
      if (!p.isEmpty() && p.length() <= IdentifyProtocol.MAX_PROTOCOL_ID_CHARS) protocols.add(p);
    }
    return new IdentifyInfo(
        m.hasProtocolVersion() ? m.getProtocolVersion() : null,
        m.hasAgentVersion() ? m.getAgentVersion() : null,
        key, addrs, observed, protocols,
        m.hasSignedPeerRecord() ? m.getSignedPeerRecord().toByteArray() : null,
        skipped);
  }
}
