package dev.weft.p2p.protocol.autonat.v1;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.AutonatLimits;
import dev.weft.p2p.protocol.autonat.v1.pb.Message;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;

/** Bytes ↔ {@link V1Message} (bodies without the length prefix). Stateless; bounds sizes and counts. */
public final class V1Codec {
  private V1Codec() {}

  /** Longest status text we keep: it is only shown in logs and `weft doctor`. */
  public static final int MAX_STATUS_TEXT = 256;

  public static byte[] encode(V1Message m) {
    Message.Builder b = Message.newBuilder();
    switch (m) {
      case V1Message.Dial d -> {
        Message.PeerInfo.Builder p = Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(d.peerId()));
        for (Multiaddr a : d.addrs()) p.addAddrs(ByteString.copyFrom(a.bytes()));
        b.setType(Message.MessageType.DIAL).setDial(Message.Dial.newBuilder().setPeer(p));
      }
      case V1Message.DialResponse r -> {
        Message.DialResponse.Builder d = Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.forNumber(r.status().wire));
        if (r.statusText() != null) d.setStatusText(r.statusText());
        if (r.addr() != null) d.setAddr(ByteString.copyFrom(r.addr().bytes()));
        b.setType(Message.MessageType.DIAL_RESPONSE).setDialResponse(d);
      }
    }
    return b.build().toByteArray();
  }

  /** @throws ProtocolViolationException if the body is not a v1 message we understand */
  public static V1Message decode(byte[] body) throws ProtocolViolationException {
    if (body.length > AutonatLimits.MAX_MESSAGE_BYTES) throw new ProtocolViolationException("autonat v1 message too large: " + body.length);
    Message m;
    try {
      m = Message.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed autonat v1 message: " + e.getMessage(), e);
    }
    if (!m.hasType()) throw new ProtocolViolationException("autonat v1 message without a type");
    return switch (m.getType()) {
      case DIAL -> {
        if (!m.hasDial() || !m.getDial().hasPeer()) throw new ProtocolViolationException("dial without peer info");
        Message.PeerInfo p = m.getDial().getPeer();
        if (p.getAddrsCount() > AutonatLimits.MAX_ADDRS) {
          throw new ProtocolViolationException("dial with " + p.getAddrsCount() + " addresses (limit " + AutonatLimits.MAX_ADDRS + ")");
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString a : p.getAddrsList()) {
          try {
            addrs.add(Multiaddr.fromBytes(a.toByteArray()));
          } catch (RuntimeException skipped) {
            // an address we cannot parse is one we cannot dial; the others may still be fine
          }
        }
        yield new V1Message.Dial(p.getId().toByteArray(), addrs);
      }
      case DIAL_RESPONSE -> {
        if (!m.hasDialResponse() || !m.getDialResponse().hasStatus()) throw new ProtocolViolationException("dial response without a status");
        Message.DialResponse r = m.getDialResponse();
        V1Message.Status status = null;
        for (V1Message.Status s : V1Message.Status.values()) if (s.wire == r.getStatus().getNumber()) status = s;
        Multiaddr addr = null;
        if (r.hasAddr()) {
          try {
            addr = Multiaddr.fromBytes(r.getAddr().toByteArray());
          } catch (RuntimeException e) {
            throw new ProtocolViolationException("dial response with an invalid address", e);
          }
        }
        String text = r.hasStatusText() ? r.getStatusText() : null;
        if (text != null && text.length() > MAX_STATUS_TEXT) text = text.substring(0, MAX_STATUS_TEXT);
        yield new V1Message.DialResponse(status, text, addr);
      }
    };
  }
}
