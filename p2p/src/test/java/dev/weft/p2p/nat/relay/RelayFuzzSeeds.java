package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seed corpora of {@link RelayCodecFuzzTest}: the messages of a reservation and a connection. */
final class RelayFuzzSeeds {
  private RelayFuzzSeeds() {}

  static Map<String, Map<String, byte[]>> corpora() {
    PrivKey relayKey = Ed25519.fromSeedNumber(1);
    PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
    PeerId peer = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
    byte[] voucher = new ReservationVoucher(relay, peer, 1_700_003_600L).seal(relayKey);
    Multiaddr addr = Multiaddr.parse("/ip4/198.51.100.1/tcp/4001/p2p/" + relay);
    RelayMessage.Limit limit = new RelayMessage.Limit(120, 131072);
    Map<String, byte[]> hop = new LinkedHashMap<>();
    hop.put("reserve", RelayCodec.encodeHop(new RelayMessage.HopReserve()));
    hop.put("reserve-ok", RelayCodec.encodeHop(new RelayMessage.HopStatus(RelayMessage.Status.OK,
        new RelayMessage.Reservation(1_700_003_600L, List.of(addr), voucher), limit)));
    hop.put("connect", RelayCodec.encodeHop(new RelayMessage.HopConnect(new RelayMessage.Peer(peer, List.of(addr)))));
    hop.put("no-reservation", RelayCodec.encodeHop(new RelayMessage.HopStatus(RelayMessage.Status.NO_RESERVATION, null, null)));
    Map<String, byte[]> stop = new LinkedHashMap<>();
    stop.put("connect", RelayCodec.encodeStop(new RelayMessage.StopConnect(new RelayMessage.Peer(peer, List.of()), limit)));
    stop.put("ok", RelayCodec.encodeStop(new RelayMessage.StopStatus(RelayMessage.Status.OK)));
    String base = "dev/weft/p2p/nat/relay/RelayCodecFuzzTestInputs/";
    return Map.of(base + "decodeHop", hop, base + "decodeStop", stop, base + "openVoucher", Map.of("voucher", voucher));
  }
}
