package dev.weft.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.p2p.pubsub.pb.RpcProto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
  private static final RpcLimits LIMITS = RpcLimits.defaults();

  static Rpc sampleRpc(Random r) {
    List<Rpc.Subscription> subs = new ArrayList<>();
    for (int i = 0; i < r.nextInt(4); i++) subs.add(new Rpc.Subscription(r.nextBoolean(), "topic-" + r.nextInt(5) + (r.nextBoolean() ? "é" : "")));
    List<PubsubMessage> msgs = new ArrayList<>();
    for (int i = 0; i < r.nextInt(4); i++) {
      msgs.add(new PubsubMessage(maybe(r, 38), maybe(r, r.nextInt(300)), maybe(r, 8), "t" + i, maybe(r, 64), maybe(r, 36)));
    }
    List<Rpc.IHave> ihave = new ArrayList<>();
    for (int i = 0; i < r.nextInt(3); i++) ihave.add(new Rpc.IHave("t" + i, ids(r)));
    List<Rpc.IWant> iwant = new ArrayList<>();
    for (int i = 0; i < r.nextInt(3); i++) iwant.add(new Rpc.IWant(ids(r)));
    List<Rpc.Graft> graft = new ArrayList<>();
    for (int i = 0; i < r.nextInt(3); i++) graft.add(new Rpc.Graft("g" + i));
    List<Rpc.Prune> prune = new ArrayList<>();
    for (int i = 0; i < r.nextInt(3); i++) {
      List<Rpc.PeerInfo> px = new ArrayList<>();
      for (int j = 0; j < r.nextInt(3); j++) px.add(new Rpc.PeerInfo(bytes(r, 38), r.nextBoolean() ? bytes(r, 100) : null));
      prune.add(new Rpc.Prune("p" + i, px, r.nextBoolean() ? (long) r.nextInt(100_000) : null));
    }
    List<Rpc.IDontWant> idw = new ArrayList<>();
    for (int i = 0; i < r.nextInt(2); i++) idw.add(new Rpc.IDontWant(ids(r)));
    return new Rpc(subs, msgs, new Rpc.Control(ihave, iwant, graft, prune, idw));
  }

  private static List<MessageId> ids(Random r) {
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < r.nextInt(5); i++) ids.add(MessageId.of(bytes(r, 1 + r.nextInt(46))));
    return ids;
  }

  private static byte[] maybe(Random r, int len) {
    return r.nextInt(4) == 0 ? null : bytes(r, len);
  }

  private static byte[] bytes(Random r, int len) {
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  /** The same RPC built with the protobuf-generated classes: an independent encoder to compare with. */
  static RpcProto.RPC toProto(Rpc rpc) {
    RpcProto.RPC.Builder b = RpcProto.RPC.newBuilder();
    for (Rpc.Subscription s : rpc.subscriptions()) b.addSubscriptions(RpcProto.RPC.SubOpts.newBuilder().setSubscribe(s.subscribe()).setTopicid(s.topic()));
    for (PubsubMessage m : rpc.messages()) {
      RpcProto.Message.Builder mb = RpcProto.Message.newBuilder().setTopic(m.topic());
      if (m.from() != null) mb.setFrom(ByteString.copyFrom(m.from()));
      if (m.data() != null) mb.setData(ByteString.copyFrom(m.data()));
      if (m.seqno() != null) mb.setSeqno(ByteString.copyFrom(m.seqno()));
      if (m.signature() != null) mb.setSignature(ByteString.copyFrom(m.signature()));
      if (m.key() != null) mb.setKey(ByteString.copyFrom(m.key()));
      b.addPublish(mb);
    }
    Rpc.Control c = rpc.control();
    if (!c.isEmpty()) {
      RpcProto.ControlMessage.Builder cb = RpcProto.ControlMessage.newBuilder();
      for (Rpc.IHave h : c.ihave()) {
        RpcProto.ControlIHave.Builder hb = RpcProto.ControlIHave.newBuilder().setTopicID(h.topic());
        h.ids().forEach(id -> hb.addMessageIDs(ByteString.copyFrom(id.bytes())));
        cb.addIhave(hb);
      }
      for (Rpc.IWant w : c.iwant()) {
        RpcProto.ControlIWant.Builder wb = RpcProto.ControlIWant.newBuilder();
        w.ids().forEach(id -> wb.addMessageIDs(ByteString.copyFrom(id.bytes())));
        cb.addIwant(wb);
      }
      c.graft().forEach(g -> cb.addGraft(RpcProto.ControlGraft.newBuilder().setTopicID(g.topic())));
      for (Rpc.Prune p : c.prune()) {
        RpcProto.ControlPrune.Builder pb = RpcProto.ControlPrune.newBuilder().setTopicID(p.topic());
        for (Rpc.PeerInfo pi : p.peers()) {
          RpcProto.PeerInfo.Builder ib = RpcProto.PeerInfo.newBuilder();
          if (pi.peerId() != null) ib.setPeerID(ByteString.copyFrom(pi.peerId()));
          if (pi.signedPeerRecord() != null) ib.setSignedPeerRecord(ByteString.copyFrom(pi.signedPeerRecord()));
          pb.addPeers(ib);
        }
        if (p.backoffSeconds() != null) pb.setBackoff(p.backoffSeconds());
        cb.addPrune(pb);
      }
      for (Rpc.IDontWant d : c.idontwant()) {
        RpcProto.ControlIDontWant.Builder db = RpcProto.ControlIDontWant.newBuilder();
        d.ids().forEach(id -> db.addMessageIDs(ByteString.copyFrom(id.bytes())));
        cb.addIdontwant(db);
      }
      b.setControl(cb);
    }
    return b.build();
  }

  @Test
  void encodesExactlyAsTheGeneratedProtobufCodeAndDecodesItBack() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 500; i++) {
      Rpc rpc = sampleRpc(r);
      byte[] ours = RpcCodec.encode(rpc);
      assertThat(ours).as("rpc %d", i).isEqualTo(toProto(rpc).toByteArray());
      assertThat(RpcCodec.rpcSize(rpc)).isEqualTo(ours.length);
      assertThat(RpcCodec.decode(ours, LIMITS)).isEqualTo(rpc);
    }
  }

  @Test
  void skipsUnknownFieldsAndMergesRepeatedControl() throws Exception {
    byte[] known = RpcCodec.encode(new Rpc(List.of(new Rpc.Subscription(true, "a")), List.of(),
        new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft("a")), List.of(), List.of())));
    byte[] control2 = RpcCodec.encode(Rpc.ofControl(new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft("b")), List.of(), List.of())));
    // field 15 (varint 7) and field 16 (bytes "xy") are unknown to us.
    byte[] unknown = {0x78, 0x07, (byte) 0x82, 0x01, 0x02, 'x', 'y'};
    byte[] all = concat(concat(known, unknown), control2);
    Rpc rpc = RpcCodec.decode(all, LIMITS);
    assertThat(rpc.subscriptions()).containsExactly(new Rpc.Subscription(true, "a"));
    assertThat(rpc.control().graft()).containsExactly(new Rpc.Graft("a"), new Rpc.Graft("b"));
  }

  @Test
  void signedPayloadIsPrefixPlusCanonicalEncodingWithoutSignatureAndKey() {
    PubsubMessage m = new PubsubMessage(new byte[] {1, 2}, new byte[] {3}, new byte[] {4}, "t", new byte[] {9, 9}, new byte[] {5});
    byte[] expected = concat("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII),
        RpcProto.Message.newBuilder().setFrom(ByteString.copyFrom(new byte[] {1, 2})).setData(ByteString.copyFrom(new byte[] {3}))
            .setSeqno(ByteString.copyFrom(new byte[] {4})).setTopic("t").build().toByteArray());
    assertThat(RpcCodec.signedPayload(m)).isEqualTo(expected);
  }

  @Test
  void rejectsOversizedRpcBeforeParsing() {
    byte[] big = new byte[LIMITS.maxRpcBytes() + 1];
    assertThatThrownBy(() -> RpcCodec.decode(big, LIMITS)).isInstanceOf(MalformedRpcException.class).hasMessageContaining("exceeds");
  }

  @Test
  void rejectsTooManyEntries() {
    RpcLimits small = new RpcLimits(1 << 20, 1 << 16, 2, 2, 2, 3, 3, 3, 2, 64, 64, 128);
    List<Rpc.Subscription> subs = List.of(new Rpc.Subscription(true, "a"), new Rpc.Subscription(true, "b"), new Rpc.Subscription(true, "c"));
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(new Rpc(subs, List.of(), null)), small)).hasMessageContaining("subscriptions");
    List<PubsubMessage> msgs = List.of(msg("a"), msg("b"), msg("c"));
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofMessages(msgs)), small)).hasMessageContaining("messages");
    List<MessageId> four = List.of(id(1), id(2), id(3), id(4));
    // Three ids in one IHAVE and one in another: the total counts.
    Rpc.Control ihave = new Rpc.Control(List.of(new Rpc.IHave("a", four.subList(0, 3)), new Rpc.IHave("b", four.subList(3, 4))),
        List.of(), List.of(), List.of(), List.of());
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofControl(ihave)), small)).hasMessageContaining("IHAVE message ids");
    Rpc.Control iwant = new Rpc.Control(List.of(), List.of(new Rpc.IWant(four)), List.of(), List.of(), List.of());
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofControl(iwant)), small)).hasMessageContaining("IWANT message ids");
    Rpc.Control grafts = new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft("a"), new Rpc.Graft("b"), new Rpc.Graft("c")), List.of(), List.of());
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofControl(grafts)), small)).hasMessageContaining("GRAFT entries");
    Rpc.PeerInfo pi = new Rpc.PeerInfo(new byte[] {1}, null);
    Rpc.Control px = new Rpc.Control(List.of(), List.of(), List.of(), List.of(new Rpc.Prune("a", List.of(pi, pi, pi), 60L)), List.of());
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofControl(px)), small)).hasMessageContaining("PRUNE peers");
    PubsubMessage bigData = new PubsubMessage(null, new byte[(1 << 16) + 1], null, "t", null, null);
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofMessages(List.of(bigData))), small)).hasMessageContaining("data of");
    Rpc.Control longId = new Rpc.Control(List.of(), List.of(new Rpc.IWant(List.of(MessageId.of(new byte[65])))), List.of(), List.of(), List.of());
    assertThatThrownBy(() -> RpcCodec.decode(RpcCodec.encode(Rpc.ofControl(longId)), small)).hasMessageContaining("message id of 65");
  }

  @Test
  void rejectsMalformedInput() {
    // message without topic
    byte[] noTopic = RpcProto.RPC.newBuilder().addPublish(RpcProto.Message.newBuilder().setData(ByteString.copyFromUtf8("x"))).build().toByteArray();
    assertThatThrownBy(() -> RpcCodec.decode(noTopic, LIMITS)).hasMessageContaining("without topic");
    // field 1 (subscriptions) sent as a varint
    assertThatThrownBy(() -> RpcCodec.decode(new byte[] {0x08, 0x01}, LIMITS)).hasMessageContaining("wire type");
    // length running past the end
    assertThatThrownBy(() -> RpcCodec.decode(new byte[] {0x12, 0x7f, 0x22}, LIMITS)).isInstanceOf(MalformedRpcException.class);
    // a 10-byte varint length
    byte[] hugeLen = {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertThatThrownBy(() -> RpcCodec.decode(hugeLen, LIMITS)).isInstanceOf(MalformedRpcException.class);
    // field number 0
    assertThatThrownBy(() -> RpcCodec.decode(new byte[] {0x00}, LIMITS)).isInstanceOf(MalformedRpcException.class);
  }

  @Test
  void emptyInputIsAnEmptyRpc() throws Exception {
    assertThat(RpcCodec.decode(new byte[0], LIMITS).isEmpty()).isTrue();
  }

  private static PubsubMessage msg(String topic) {
    return new PubsubMessage(null, new byte[] {1}, null, topic, null, null);
  }

  private static MessageId id(int i) {
    return MessageId.of(new byte[] {(byte) i});
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
