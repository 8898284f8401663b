package dev.weft.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRecordTest {
  private static final PrivKey ALICE = Ed25519.fromSeedNumber(1);
  private static final PrivKey MALLORY = Ed25519.fromSeedNumber(2);
  private static final PeerId ALICE_ID = PeerId.fromPublicKey(ALICE.publicKey());
  private static final List<Multiaddr> ADDRS = List.of(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001"), Multiaddr.parse("/ip6/2001:db8::1/tcp/4001"));

  @Test
  void signedRecordOpensToTheSameRecord() throws Exception {
    byte[] wire = new PeerRecord(ALICE_ID, 7, ADDRS).sign(ALICE).encode();
    PeerRecord back = PeerRecord.open(wire);
    assertThat(back.peerId()).isEqualTo(ALICE_ID);
    assertThat(back.seq()).isEqualTo(7);
    assertThat(back.addresses()).isEqualTo(ADDRS);
  }

  @Test
  void anyFlippedBitOfTheSignedPartIsRefused() {
    byte[] wire = new PeerRecord(ALICE_ID, 7, ADDRS).sign(ALICE).encode();
    int refused = 0;
    for (int i = 0; i < wire.length; i++) {
      byte[] bad = wire.clone();
      bad[i] ^= 0x01;
      try {
        PeerRecord r = PeerRecord.open(bad);
        // A flip may land in a length or tag and still decode to the same fields; it must never
        // change what the record says.
        assertThat(r.addresses()).isEqualTo(ADDRS);
        assertThat(r.peerId()).isEqualTo(ALICE_ID);
      } catch (InvalidRecordException e) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(wire.length * 9 / 10);
  }

  @Test
  void aRecordForAnotherPeerSignedByMalloryIsRefused() {
    // Mallory signs, with her own valid key, a record saying Alice is at Mallory's address: the
    // envelope verifies, but the record's peer id is not the signer's.
    byte[] payload = new PeerRecord(ALICE_ID, 9, List.of(Multiaddr.parse("/ip4/203.0.113.66/tcp/1"))).encode();
    byte[] wire = SignedEnvelope.seal(MALLORY, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload).encode();
    assertThatThrownBy(() -> PeerRecord.open(wire)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("another key");
    assertThatThrownBy(() -> new PeerRecord(ALICE_ID, 9, ADDRS).sign(MALLORY)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignatureFromAnotherDomainIsNotAPeerRecord() {
    byte[] payload = new PeerRecord(ALICE_ID, 1, ADDRS).encode();
    byte[] wire = SignedEnvelope.seal(ALICE, "libp2p-pubsub", PeerRecord.PAYLOAD_TYPE, payload).encode();
    assertThatThrownBy(() -> PeerRecord.open(wire)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("signature");
    byte[] otherType = SignedEnvelope.seal(ALICE, PeerRecord.DOMAIN, new byte[] {0x03, 0x02}, payload).encode();
    assertThatThrownBy(() -> PeerRecord.open(otherType)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("payload type");
  }

  @Test
  void sizeAndCountLimits() {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < PeerRecord.MAX_ADDRESSES + 1; i++) many.add(Multiaddr.parse("/ip4/10.0.0." + (i % 250) + "/tcp/" + (1000 + i)));
    assertThatThrownBy(() -> new PeerRecord(ALICE_ID, 1, many)).isInstanceOf(IllegalArgumentException.class);
    byte[] payload = new PeerRecord(ALICE_ID, 1, many.subList(0, PeerRecord.MAX_ADDRESSES)).encode();
    // Hand-built payload with one address too many, properly signed: refused on decode.
    dev.weft.p2p.record.pb.PeerRecord.Builder b = dev.weft.p2p.record.pb.PeerRecord.newBuilder(parse(payload));
    b.addAddresses(dev.weft.p2p.record.pb.PeerRecord.AddressInfo.newBuilder()
        .setMultiaddr(com.google.protobuf.ByteString.copyFrom(Multiaddr.parse("/ip4/1.1.1.1/tcp/1").bytes())));
    byte[] over = SignedEnvelope.seal(ALICE, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, b.build().toByteArray()).encode();
    assertThatThrownBy(() -> PeerRecord.open(over)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("addresses");
    assertThatThrownBy(() -> SignedEnvelope.open(new byte[SignedEnvelope.MAX_BYTES + 1], PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("exceeds");
  }

  private static dev.weft.p2p.record.pb.PeerRecord parse(byte[] b) {
    try {
      return dev.weft.p2p.record.pb.PeerRecord.parseFrom(b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
