package dev.weft.p2p.protocol.autonat.v2;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.AutonatLimits;
import dev.weft.p2p.protocol.autonat.v2.pb.DialBack;
import dev.weft.p2p.protocol.autonat.v2.pb.DialBackResponse;
import dev.weft.p2p.protocol.autonat.v2.pb.DialDataRequest;
import dev.weft.p2p.protocol.autonat.v2.pb.DialDataResponse;
import dev.weft.p2p.protocol.autonat.v2.pb.DialRequest;
import dev.weft.p2p.protocol.autonat.v2.pb.DialResponse;
import dev.weft.p2p.protocol.autonat.v2.pb.Message;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bytes ↔ {@link V2Message} and the dial-back messages (bodies without the length prefix).
 * Stateless. Decoding bounds sizes and counts and refuses status codes we do not know (the spec:
 * "implementations MUST discard responses with status codes they do not understand").
 */
public final class V2Codec {
  private V2Codec() {}

  /** Shared zero bytes for dial data: what is sent does not matter, only how much. */
  private static final ByteString ZEROES = ByteString.copyFrom(new byte[AutonatLimits.MAX_DIAL_DATA_CHUNK]);

  public static byte[] encode(V2Message m) {
    Message.Builder b = Message.newBuilder();
    switch (m) {
      case V2Message.DialRequest r -> {
        DialRequest.Builder d = DialRequest.newBuilder().setNonce(r.nonce());
        for (Optional<Multiaddr> a : r.addrs()) d.addAddrs(a.map(x -> ByteString.copyFrom(x.bytes())).orElse(ByteString.EMPTY));
        b.setDialRequest(d);
      }
      case V2Message.DialResponse r -> b.setDialResponse(DialResponse.newBuilder()
          .setStatusValue(r.status().wire).setAddrIdx(r.addrIdx()).setDialStatusValue(r.dialStatus().wire));
      case V2Message.DialDataRequest r -> b.setDialDataRequest(DialDataRequest.newBuilder().setAddrIdx(r.addrIdx()).setNumBytes(r.numBytes()));
      case V2Message.DialDataResponse r -> {
        if (r.dataBytes() < 0 || r.dataBytes() > AutonatLimits.MAX_DIAL_DATA_CHUNK) {
          throw new IllegalArgumentException("dial data chunk of " + r.dataBytes() + " bytes");
        }
        b.setDialDataResponse(DialDataResponse.newBuilder().setData(ZEROES.substring(0, r.dataBytes())));
      }
    }
    return b.build().toByteArray();
  }

  /** @throws ProtocolViolationException if the body is not a message we understand */
  public static V2Message decode(byte[] body) throws ProtocolViolationException {
    if (body.length > AutonatLimits.MAX_MESSAGE_BYTES) throw new ProtocolViolationException("autonat v2 message too large: " + body.length);
    Message m;
    try {
      m = Message.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed autonat v2 message: " + e.getMessage(), e);
    }
    return switch (m.getMsgCase()) {
      case DIALREQUEST -> {
        DialRequest r = m.getDialRequest();
        if (r.getAddrsCount() == 0) throw new ProtocolViolationException("dial request without addresses");
        if (r.getAddrsCount() > AutonatLimits.MAX_ADDRS) {
          throw new ProtocolViolationException("dial request with " + r.getAddrsCount() + " addresses (limit " + AutonatLimits.MAX_ADDRS + ")");
        }
        List<Optional<Multiaddr>> addrs = new ArrayList<>(r.getAddrsCount());
        for (ByteString a : r.getAddrsList()) addrs.add(parseAddr(a));
        yield new V2Message.DialRequest(addrs, r.getNonce());
      }
      case DIALRESPONSE -> {
        DialResponse r = m.getDialResponse();
        V2Message.ResponseStatus status = responseStatus(r.getStatusValue());
        V2Message.DialStatus dial = dialStatus(r.getDialStatusValue());
        if (r.getAddrIdx() < 0 || r.getAddrIdx() >= AutonatLimits.MAX_ADDRS) throw new ProtocolViolationException("addrIdx out of range: " + r.getAddrIdx());
        yield new V2Message.DialResponse(status, r.getAddrIdx(), dial);
      }
      case DIALDATAREQUEST -> {
        DialDataRequest r = m.getDialDataRequest();
        if (r.getAddrIdx() < 0 || r.getAddrIdx() >= AutonatLimits.MAX_ADDRS) throw new ProtocolViolationException("addrIdx out of range: " + r.getAddrIdx());
        if (r.getNumBytes() < 0) throw new ProtocolViolationException("numBytes beyond 2^63: " + Long.toUnsignedString(r.getNumBytes()));
        yield new V2Message.DialDataRequest(r.getAddrIdx(), r.getNumBytes());
      }
      case DIALDATARESPONSE -> {
        int n = m.getDialDataResponse().getData().size();
        if (n > AutonatLimits.MAX_DIAL_DATA_CHUNK) throw new ProtocolViolationException("dial data chunk of " + n + " bytes (limit " + AutonatLimits.MAX_DIAL_DATA_CHUNK + ")");
        yield new V2Message.DialDataResponse(n);
      }
      case MSG_NOT_SET -> throw new ProtocolViolationException("autonat v2 message with no content");
    };
  }

  public static byte[] encodeDialBack(long nonce) {
    return DialBack.newBuilder().setNonce(nonce).build().toByteArray();
  }

  /** @return the nonce */
  public static long decodeDialBack(byte[] body) throws ProtocolViolationException {
    if (body.length > AutonatLimits.MAX_MESSAGE_BYTES) throw new ProtocolViolationException("dial-back message too large: " + body.length);
    try {
      return DialBack.parseFrom(body).getNonce();
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed dial-back message: " + e.getMessage(), e);
    }
  }

  public static byte[] encodeDialBackResponse() {
    return DialBackResponse.newBuilder().setStatus(DialBackResponse.DialBackStatus.OK).build().toByteArray();
  }

  /** @throws ProtocolViolationException unless it is a well-formed response with status OK */
  public static void decodeDialBackResponse(byte[] body) throws ProtocolViolationException {
    if (body.length > AutonatLimits.MAX_MESSAGE_BYTES) throw new ProtocolViolationException("dial-back response too large: " + body.length);
    DialBackResponse r;
    try {
      r = DialBackResponse.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed dial-back response: " + e.getMessage(), e);
    }
    if (r.getStatusValue() != 0) throw new ProtocolViolationException("dial-back response status " + r.getStatusValue());
  }

  private static Optional<Multiaddr> parseAddr(ByteString b) {
    if (b.size() > Multiaddr.MAX_BYTES) return Optional.empty();
    try {
      return Optional.of(Multiaddr.fromBytes(b.toByteArray()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static V2Message.ResponseStatus responseStatus(int v) throws ProtocolViolationException {
    for (V2Message.ResponseStatus s : V2Message.ResponseStatus.values()) if (s.wire == v) return s;
    throw new ProtocolViolationException("unknown response status " + v);
  }

  private static V2Message.DialStatus dialStatus(int v) throws ProtocolViolationException {
    for (V2Message.DialStatus s : V2Message.DialStatus.values()) if (s.wire == v) return s;
    throw new ProtocolViolationException("unknown dial status " + v);
  }
}
