package dev.weft.dht.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestPeers;
import dev.weft.dht.pb.DhtProto;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DhtCodecTest {
  final Random r = new Random(13);

  @Test
  void roundTripsEveryMessageType() throws Exception {
    List<PeerInfo> peers = TestPeers.peers(r, 20);
    for (DhtMessage.Type t : DhtMessage.Type.values()) {
      DhtMessage m = new DhtMessage(t, new byte[] {1, 2, 3}, new DhtMessage.DhtRecord(new byte[] {1, 2, 3}, new byte[] {9}, "2026-01-01T00:00:00Z"), peers, peers.subList(0, 3));
      DhtMessage back = DhtCodec.decode(DhtCodec.encode(m));
      assertThat(back).isEqualTo(m);
      assertThat(back.closerPeers().get(0).addrs().get(0)).isEqualTo(peers.get(0).addrs().get(0));
    }
  }

  @Test
  void decodesTheUpstreamWireLayout() throws Exception {
    // type=FIND_NODE(4), key=0x0102, one closer peer: id, one /ip4/127.0.0.1/tcp/4001 address
    PeerInfo p = TestPeers.peer(r);
    byte[] addr = HexFormat.of().parseHex("047f000001060fa1");
    byte[] wire = DhtProto.Message.newBuilder().setType(DhtProto.Message.MessageType.FIND_NODE).setKey(ByteString.copyFrom(new byte[] {1, 2}))
        .addCloserPeers(DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(p.id().bytes())).addAddrs(ByteString.copyFrom(addr))
            .setConnection(DhtProto.Message.ConnectionType.CONNECTED))
        .setClusterLevelRaw(0).build().toByteArray();
    assertThat(wire[0]).isEqualTo((byte) 0x08); // field 1 varint
    DhtMessage m = DhtCodec.decode(wire);
    assertThat(m.type()).isEqualTo(DhtMessage.Type.FIND_NODE);
    assertThat(m.closerPeers()).extracting(PeerInfo::id).containsExactly(p.id());
  }

  @Test
  void rejectsMalformedProtobuf() {
    assertThatThrownBy(() -> DhtCodec.decode(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F})).isInstanceOf(DhtDecodeException.class);
    assertThatThrownBy(() -> DhtCodec.decode(new byte[] {0x12, 0x05, 1})).isInstanceOf(DhtDecodeException.class).hasMessageContaining("malformed");
  }

  @Test
  void rejectsUnknownMessageType() {
    byte[] wire = DhtProto.Message.newBuilder().setTypeValue(42).build().toByteArray();
    assertThatThrownBy(() -> DhtCodec.decode(wire)).hasMessageContaining("unknown message type");
  }

  @Test
  void rejectsHugeCloserPeersLists() {
    DhtProto.Message.Builder b = DhtProto.Message.newBuilder().setType(DhtProto.Message.MessageType.FIND_NODE);
    PeerInfo p = TestPeers.peer(r);
    for (int i = 0; i <= DhtCodec.MAX_PEERS; i++) b.addCloserPeers(DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(p.id().bytes())));
    assertThatThrownBy(() -> DhtCodec.decode(b.build().toByteArray())).hasMessageContaining("closerPeers has 41 peers");
  }

  @Test
  void rejectsTooManyAddressesPerPeer() {
    DhtProto.Message.Peer.Builder pb = DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(TestPeers.peerId(r).bytes()));
    for (int i = 0; i <= DhtCodec.MAX_ADDRS_PER_PEER; i++) pb.addAddrs(ByteString.copyFrom(TestPeers.addr(i)));
    byte[] wire = DhtProto.Message.newBuilder().addProviderPeers(pb).build().toByteArray();
    assertThatThrownBy(() -> DhtCodec.decode(wire)).hasMessageContaining("addresses");
  }

  @Test
  void rejectsInvalidMultiaddrs() {
    for (String bad : List.of("04010203", "0601", "ffffffff0f", "", "a503", "a50305aabb")) {
      DhtProto.Message.Peer.Builder pb = DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(TestPeers.peerId(r).bytes()))
          .addAddrs(ByteString.copyFrom(HexFormat.of().parseHex(bad)));
      byte[] wire = DhtProto.Message.newBuilder().addCloserPeers(pb).build().toByteArray();
      assertThatThrownBy(() -> DhtCodec.decode(wire)).as(bad).hasMessageContaining("invalid multiaddr");
    }
  }

  @Test
  void rejectsInvalidPeerIds() {
    byte[] wire = DhtProto.Message.newBuilder().addCloserPeers(DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {0x55, 0x01, 0x00}))).build().toByteArray();
    assertThatThrownBy(() -> DhtCodec.decode(wire)).hasMessageContaining("invalid peer id");
  }

  @Test
  void rejectsOversizedValuesKeysAndMessages() {
    byte[] bigValue = DhtProto.Message.newBuilder().setRecord(DhtProto.Record.newBuilder().setValue(ByteString.copyFrom(new byte[DhtCodec.MAX_VALUE_BYTES + 1])))
        .build().toByteArray();
    assertThatThrownBy(() -> DhtCodec.decode(bigValue)).hasMessageContaining("record value");
    byte[] bigKey = DhtProto.Message.newBuilder().setKey(ByteString.copyFrom(new byte[DhtCodec.MAX_KEY_BYTES + 1])).build().toByteArray();
    assertThatThrownBy(() -> DhtCodec.decode(bigKey)).hasMessageContaining("key of");
    assertThatThrownBy(() -> DhtCodec.decode(new byte[DhtCodec.MAX_MESSAGE_BYTES + 1])).hasMessageContaining("exceeds");
  }

  @Test
  void multiaddrValidatorKnowsCommonForms() {
    HexFormat hex = HexFormat.of();
    assertThat(MultiaddrBytes.isValid(hex.parseHex("047f000001060fa1"))).isTrue(); // /ip4/127.0.0.1/tcp/4001
    assertThat(MultiaddrBytes.isValid(hex.parseHex("29" + "00".repeat(15) + "01" + "91020fa1" + "cc03"))).isTrue(); // /ip6/::1/udp/4001/quic-v1
    assertThat(MultiaddrBytes.isValid(hex.parseHex("36096c6f63616c686f7374060fa1"))).isTrue(); // /dns4/localhost/tcp/4001
    assertThat(MultiaddrBytes.isPrivateOrLoopback(hex.parseHex("047f000001060fa1"))).isTrue();
    assertThat(MultiaddrBytes.isPrivateOrLoopback(hex.parseHex("0401020304060fa1"))).isFalse();
  }
}
