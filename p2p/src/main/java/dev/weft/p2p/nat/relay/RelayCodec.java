package dev.weft.p2p.nat.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.pb.HopMessage;
import dev.weft.p2p.nat.relay.pb.Limit;
import dev.weft.p2p.nat.relay.pb.Peer;
import dev.weft.p2p.nat.relay.pb.Reservation;
import dev.weft.p2p.nat.relay.pb.StopMessage;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes ↔ {@link RelayMessage} for the hop and stop protocols (bodies without the length
 * prefix). Stateless; bounds sizes and counts; a message missing what its type needs (a CONNECT
 * without a peer id, a STATUS without a status) or with an unknown status is a violation.
 */
public final class RelayCodec {
  private RelayCodec() {}

  /** Largest hop/stop message accepted: a reservation with 32 addresses and a voucher fits. */
  public static final int MAX_MESSAGE_BYTES = 8192;
  /** Most addresses kept from a Peer or Reservation. */
  public static final int MAX_ADDRS = 32;
  /** Largest voucher envelope accepted. */
  public static final int MAX_VOUCHER_BYTES = 2048;

  public static byte[] encodeHop(RelayMessage m) {
    HopMessage.Builder b = HopMessage.newBuilder();
    switch (m) {
      case RelayMessage.HopReserve r -> b.setType(HopMessage.Type.RESERVE);
      case RelayMessage.HopConnect c -> b.setType(HopMessage.Type.CONNECT).setPeer(peer(c.peer()));
      case RelayMessage.HopStatus s -> {
        b.setType(HopMessage.Type.STATUS).setStatusValue(s.status().wire);
        if (s.reservation() != null) {
          Reservation.Builder rb = Reservation.newBuilder().setExpire(s.reservation().expireUnixSeconds());
          for (Multiaddr a : s.reservation().addrs()) rb.addAddrs(ByteString.copyFrom(a.bytes()));
          if (s.reservation().voucher() != null) rb.setVoucher(ByteString.copyFrom(s.reservation().voucher()));
          b.setReservation(rb);
        }
        if (s.limit() != null) b.setLimit(limit(s.limit()));
      }
      default -> throw new IllegalArgumentException("not a hop message: " + m);
    }
    return b.build().toByteArray();
  }

  public static byte[] encodeStop(RelayMessage m) {
    StopMessage.Builder b = StopMessage.newBuilder();
    switch (m) {
      case RelayMessage.StopConnect c -> {
        b.setType(StopMessage.Type.CONNECT).setPeer(peer(c.peer()));
        if (c.limit() != null) b.setLimit(limit(c.limit()));
      }
      case RelayMessage.StopStatus s -> b.setType(StopMessage.Type.STATUS).setStatusValue(s.status().wire);
      default -> throw new IllegalArgumentException("not a stop message: " + m);
    }
    return b.build().toByteArray();
  }

  public static RelayMessage decodeHop(byte[] body) throws ProtocolViolationException {
    if (body.length > MAX_MESSAGE_BYTES) throw new ProtocolViolationException("hop message too large: " + body.length);
    HopMessage m;
    try {
      m = HopMessage.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed hop message: " + e.getMessage(), e);
    }
    if (!m.hasType()) throw new ProtocolViolationException("hop message without a type");
    return switch (m.getType()) {
      case RESERVE -> new RelayMessage.HopReserve();
      case CONNECT -> {
        if (!m.hasPeer()) throw new ProtocolViolationException("hop CONNECT without a peer");
        yield new RelayMessage.HopConnect(peer(m.getPeer()));
      }
      case STATUS -> {
        if (!m.hasStatus()) throw new ProtocolViolationException("hop STATUS without a status");
        RelayMessage.Reservation r = null;
        if (m.hasReservation()) {
          Reservation pr = m.getReservation();
          if (pr.getVoucher().size() > MAX_VOUCHER_BYTES) throw new ProtocolViolationException("voucher of " + pr.getVoucher().size() + " bytes");
          r = new RelayMessage.Reservation(pr.getExpire(), addrs(pr.getAddrsList()), pr.hasVoucher() ? pr.getVoucher().toByteArray() : null);
        }
        yield new RelayMessage.HopStatus(status(m.getStatusValue()), r, m.hasLimit() ? limit(m.getLimit()) : null);
      }
      case UNRECOGNIZED -> throw new ProtocolViolationException("unknown hop message type " + m.getTypeValue());
    };
  }

  public static RelayMessage decodeStop(byte[] body) throws ProtocolViolationException {
    if (body.length > MAX_MESSAGE_BYTES) throw new ProtocolViolationException("stop message too large: " + body.length);
    StopMessage m;
    try {
      m = StopMessage.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed stop message: " + e.getMessage(), e);
    }
    if (!m.hasType()) throw new ProtocolViolationException("stop message without a type");
    return switch (m.getType()) {
      case CONNECT -> {
        if (!m.hasPeer()) throw new ProtocolViolationException("stop CONNECT without a peer");
        yield new RelayMessage.StopConnect(peer(m.getPeer()), m.hasLimit() ? limit(m.getLimit()) : null);
      }
      case STATUS -> {
        if (!m.hasStatus()) throw new ProtocolViolationException("stop STATUS without a status");
        yield new RelayMessage.StopStatus(status(m.getStatusValue()));
      }
      case UNRECOGNIZED -> throw new ProtocolViolationException("unknown stop message type " + m.getTypeValue());
    };
  }

  private static Peer.Builder peer(RelayMessage.Peer p) {
    Peer.Builder b = Peer.newBuilder().setId(ByteString.copyFrom(p.id().bytes()));
    for (Multiaddr a : p.addrs()) b.addAddrs(ByteString.copyFrom(a.bytes()));
    return b;
  }

  private static RelayMessage.Peer peer(Peer p) throws ProtocolViolationException {
    if (!p.hasId()) throw new ProtocolViolationException("peer without an id");
    PeerId id;
    try {
      id = PeerId.fromBytes(p.getId().toByteArray());
    } catch (RuntimeException e) {
      throw new ProtocolViolationException("invalid peer id: " + e.getMessage(), e);
    }
    return new RelayMessage.Peer(id, addrs(p.getAddrsList()));
  }

  private static List<Multiaddr> addrs(List<ByteString> raw) throws ProtocolViolationException {
    if (raw.size() > MAX_ADDRS) throw new ProtocolViolationException(raw.size() + " addresses (limit " + MAX_ADDRS + ")");
    List<Multiaddr> out = new ArrayList<>();
    for (ByteString b : raw) {
      try {
        out.add(Multiaddr.fromBytes(b.toByteArray()));
      } catch (RuntimeException skipped) {
        // an address we cannot parse is one nobody can use; the others still can
      }
    }
    return out;
  }

  private static Limit.Builder limit(RelayMessage.Limit l) {
    Limit.Builder b = Limit.newBuilder();
    if (l.durationSeconds() > 0) b.setDuration((int) Math.min(l.durationSeconds(), 0xFFFF_FFFFL));
    if (l.dataBytes() > 0) b.setData(l.dataBytes());
    return b;
  }

  private static RelayMessage.Limit limit(Limit l) {
    return new RelayMessage.Limit(Integer.toUnsignedLong(l.getDuration()), l.getData() < 0 ? Long.MAX_VALUE : l.getData());
  }

  private static RelayMessage.Status status(int v) throws ProtocolViolationException {
    for (RelayMessage.Status s : RelayMessage.Status.values()) if (s.wire == v) return s;
    throw new ProtocolViolationException("unknown relay status " + v);
  }
}
