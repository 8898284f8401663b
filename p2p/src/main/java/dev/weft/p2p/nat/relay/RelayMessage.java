package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/** Circuit relay v2 messages, decoded ({@link RelayCodec}). Absent optional parts are null. */
public sealed interface RelayMessage {
  enum Status {
    UNUSED(0), OK(100), RESERVATION_REFUSED(200), RESOURCE_LIMIT_EXCEEDED(201), PERMISSION_DENIED(202),
    CONNECTION_FAILED(203), NO_RESERVATION(204), MALFORMED_MESSAGE(400), UNEXPECTED_MESSAGE(401);

    public final int wire;

    Status(int wire) {
      this.wire = wire;
    }
  }

  /** @param durationSeconds 0: none; @param dataBytes per direction, 0: none */
  record Limit(long durationSeconds, long dataBytes) {}

  /** @param addrs undecodable addresses are dropped */
  record Peer(PeerId id, List<Multiaddr> addrs) {
    public Peer {
      addrs = List.copyOf(addrs);
    }
  }

  /** @param expireUnixSeconds UTC; @param voucher the signed envelope bytes, or null */
  record Reservation(long expireUnixSeconds, List<Multiaddr> addrs, byte[] voucher) {
    public Reservation {
      addrs = List.copyOf(addrs);
    }
  }

  record HopReserve() implements RelayMessage {}

  record HopConnect(Peer peer) implements RelayMessage {}

  record HopStatus(Status status, Reservation reservation, Limit limit) implements RelayMessage {}

  record StopConnect(Peer peer, Limit limit) implements RelayMessage {}

  record StopStatus(Status status) implements RelayMessage {}
}
