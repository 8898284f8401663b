package dev.weft.p2p.nat.dcutr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.dcutr.pb.HolePunch;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes ↔ {@link DcutrMessage} (DCUtR.md, "RPC messages"; bodies without the length prefix).
 * Stateless; bounds the size and the address count; a SYNC carrying addresses is accepted (the
 * addresses are ignored), an unknown or missing type is a violation.
 */
public final class DcutrCodec {
  private DcutrCodec() {}

  /** The spec: "Implementations SHOULD refuse encoded RPC messages ... larger than 4 KiB." */
  public static final int MAX_MESSAGE_BYTES = 4096;
  /** Most addresses kept from a CONNECT; a few per interface is all an honest peer has. */
  public static final int MAX_ADDRS = 16;

  public static byte[] encode(DcutrMessage m) {
    HolePunch.Builder b = HolePunch.newBuilder();
    switch (m) {
      case DcutrMessage.Connect c -> {
        b.setType(HolePunch.Type.CONNECT);
        for (Multiaddr a : c.addrs()) b.addObsAddrs(ByteString.copyFrom(a.bytes()));
      }
      case DcutrMessage.Sync s -> b.setType(HolePunch.Type.SYNC);
    }
    return b.build().toByteArray();
  }

  public static DcutrMessage decode(byte[] body) throws ProtocolViolationException {
    if (body.length > MAX_MESSAGE_BYTES) throw new ProtocolViolationException("dcutr message of " + body.length + " bytes");
    HolePunch m;
    try {
      m = HolePunch.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed dcutr message: " + e.getMessage(), e);
    }
    return switch (m.getType()) {
      case SYNC -> new DcutrMessage.Sync();
      case CONNECT -> {
        if (m.getObsAddrsCount() > MAX_ADDRS) throw new ProtocolViolationException(m.getObsAddrsCount() + " addresses (limit " + MAX_ADDRS + ")");
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString raw : m.getObsAddrsList()) {
          try {
            addrs.add(Multiaddr.fromBytes(raw.toByteArray()));
          } catch (RuntimeException skipped) {
            // an address we cannot parse is one we cannot dial; the others may still work
          }
        }
        yield new DcutrMessage.Connect(addrs);
      }
    };
  }
}
