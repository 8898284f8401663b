package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.pb.HopMessage;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.record.InvalidRecordException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayCodecTest {
  static final PrivKey RELAY_KEY = Ed25519.fromSeedNumber(1);
  static final PeerId RELAY = PeerId.fromPublicKey(RELAY_KEY.publicKey());
  static final PeerId PEER = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
  static final Multiaddr RELAY_ADDR = Multiaddr.parse("/ip4/198.51.100.1/tcp/4001/p2p/" + RELAY);

  @Test void hopAndStopMessagesRoundTrip() throws Exception {
    assertThat(RelayCodec.decodeHop(RelayCodec.encodeHop(new RelayMessage.HopReserve()))).isEqualTo(new RelayMessage.HopReserve());
    RelayMessage.HopConnect c = new RelayMessage.HopConnect(new RelayMessage.Peer(PEER, List.of()));
    assertThat(RelayCodec.decodeHop(RelayCodec.encodeHop(c))).isEqualTo(c);
    byte[] voucher = new ReservationVoucher(RELAY, PEER, 1_700_003_600L).seal(RELAY_KEY);
    RelayMessage.HopStatus ok = new RelayMessage.HopStatus(RelayMessage.Status.OK,
        new RelayMessage.Reservation(1_700_003_600L, List.of(RELAY_ADDR), voucher), new RelayMessage.Limit(120, 131072));
    RelayMessage.HopStatus back = (RelayMessage.HopStatus) RelayCodec.decodeHop(RelayCodec.encodeHop(ok));
    assertThat(back.status()).isEqualTo(RelayMessage.Status.OK);
    assertThat(back.limit()).isEqualTo(ok.limit());
    assertThat(back.reservation().addrs()).containsExactly(RELAY_ADDR);
    assertThat(back.reservation().voucher()).isEqualTo(voucher);
    RelayMessage.StopConnect sc = new RelayMessage.StopConnect(new RelayMessage.Peer(PEER, List.of()), new RelayMessage.Limit(120, 0));
    assertThat(RelayCodec.decodeStop(RelayCodec.encodeStop(sc))).isEqualTo(sc);
    RelayMessage.StopStatus ss = new RelayMessage.StopStatus(RelayMessage.Status.CONNECTION_FAILED);
    assertThat(RelayCodec.decodeStop(RelayCodec.encodeStop(ss))).isEqualTo(ss);
  }

  @Test void incompleteOrUnknownMessagesAreViolations() {
    assertThatThrownBy(() -> RelayCodec.decodeHop(new byte[0])).isInstanceOf(ProtocolViolationException.class).hasMessageContaining("without a type");
    assertThatThrownBy(() -> RelayCodec.decodeHop(HopMessage.newBuilder().setType(HopMessage.Type.CONNECT).build().toByteArray()))
        .hasMessageContaining("without a peer");
    assertThatThrownBy(() -> RelayCodec.decodeHop(HopMessage.newBuilder().setType(HopMessage.Type.STATUS).build().toByteArray()))
        .hasMessageContaining("without a status");
    assertThatThrownBy(() -> RelayCodec.decodeHop(HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatusValue(999).build().toByteArray()))
        .hasMessageContaining("unknown relay status 999");
    assertThatThrownBy(() -> RelayCodec.decodeHop(HopMessage.newBuilder().setTypeValue(7).build().toByteArray())).hasMessageContaining("unknown hop");
    assertThatThrownBy(() -> RelayCodec.decodeStop(new byte[RelayCodec.MAX_MESSAGE_BYTES + 1])).hasMessageContaining("too large");
  }

  @Test void vouchersVerifySignatureFirstAndNameTheirSigner() throws Exception {
    byte[] v = new ReservationVoucher(RELAY, PEER, 42).seal(RELAY_KEY);
    assertThat(ReservationVoucher.open(v)).isEqualTo(new ReservationVoucher(RELAY, PEER, 42));
    // someone else signs a voucher in the relay's name
    PrivKey mallory = Ed25519.fromSeedNumber(66);
    byte[] payload = dev.weft.p2p.nat.relay.pb.Voucher.newBuilder().setRelay(com.google.protobuf.ByteString.copyFrom(RELAY.bytes()))
        .setPeer(com.google.protobuf.ByteString.copyFrom(PEER.bytes())).setExpiration(42).build().toByteArray();
    byte[] inRelaysName = dev.weft.p2p.record.SignedEnvelope.seal(mallory, ReservationVoucher.DOMAIN, ReservationVoucher.PAYLOAD_TYPE, payload).encode();
    assertThatThrownBy(() -> ReservationVoucher.open(inRelaysName)).hasMessageContaining("someone other than the relay");
    byte[] tampered = v.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> ReservationVoucher.open(tampered)).isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> new ReservationVoucher(RELAY, PEER, 42).seal(mallory)).isInstanceOf(IllegalArgumentException.class);
    byte[] peerRecordType = dev.weft.p2p.record.SignedEnvelope.seal(RELAY_KEY, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x01}, new byte[0]).encode();
    assertThatThrownBy(() -> ReservationVoucher.open(peerRecordType)).isInstanceOf(InvalidRecordException.class);
  }
}
