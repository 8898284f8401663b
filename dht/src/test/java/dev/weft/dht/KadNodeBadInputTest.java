package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.pb.DhtProto;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.sim.SimHarness;
import dev.weft.dht.sim.SimKadNetwork;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer that sends garbage is rejected and scored down; the node keeps working. */
class KadNodeBadInputTest {
  SimHarness h;
  SimKadNetwork.SimNode victim;
  SimKadNetwork.SimNode mallory;
  List<SimKadNetwork.SimNode> honest;

  @BeforeEach
  void setUp() {
    h = new SimHarness(99, 0.0);
    honest = h.build(8, 100);
    victim = honest.get(1);
    mallory = h.net.addNode(SimHarness.simConfig(), h.validators);
    mallory.node.start();
    h.await(mallory.node.bootstrap(List.of(honest.get(0).node.self())));
    h.scheduler.runFor(5_000);
    assertThat(victim.node.routingTable().contains(mallory.node.peerId())).isTrue();
  }

  /** Makes mallory answer every request with {@code reply}. */
  void malloryAnswers(byte[] reply) {
    mallory.setBehaviour((from, req, honestAnswer) -> reply);
  }

  int score() {
    return victim.node.scores().score(mallory.node.peerId());
  }

  @Test
  void malformedRepliesAreRejectedAndScored() {
    malloryAnswers(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x01});
    var q = h.await(victim.node.findClosestPeers(mallory.node.peerId().bytes()));
    assertThat(q.closest()).isNotEmpty().doesNotContain(mallory.node.self());
    assertThat(score()).isNegative();
  }

  @Test
  void hugeCloserPeersListsAreRejected() {
    DhtProto.Message.Builder b = DhtProto.Message.newBuilder().setType(DhtProto.Message.MessageType.FIND_NODE);
    Random r = new Random(1);
    for (int i = 0; i < 1000; i++) {
      b.addCloserPeers(DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(TestPeers.peerId(r).bytes())));
    }
    malloryAnswers(b.build().toByteArray());
    var q = h.await(victim.node.findClosestPeers(mallory.node.peerId().bytes()));
    assertThat(q.closest()).doesNotContain(mallory.node.self());
    assertThat(score()).isNegative();
  }

  @Test
  void invalidMultiaddrsInRepliesAreRejected() {
    byte[] reply = DhtProto.Message.newBuilder().setType(DhtProto.Message.MessageType.FIND_NODE)
        .addCloserPeers(DhtProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(TestPeers.peerId(new Random(2)).bytes()))
            .addAddrs(ByteString.copyFrom(new byte[] {4, 1, 2})))
        .build().toByteArray();
    malloryAnswers(reply);
    h.await(victim.node.findClosestPeers(mallory.node.peerId().bytes()));
    assertThat(score()).isNegative();
  }

  @Test
  void repeatedMisbehaviourBansAndEvicts() {
    malloryAnswers(new byte[] {(byte) 0xFF});
    for (int i = 0; i < 3 && !victim.node.scores().isBanned(mallory.node.peerId(), h.scheduler.nowMillis()); i++) {
      h.await(victim.node.findClosestPeers(mallory.node.peerId().bytes()));
    }
    assertThat(victim.node.scores().isBanned(mallory.node.peerId(), h.scheduler.nowMillis())).isTrue();
    assertThat(victim.node.routingTable().contains(mallory.node.peerId())).isFalse();
    // banned: its requests go unanswered
    assertThat(victim.node.handleRequest(mallory.node.self(), true, DhtMessage.request(DhtMessage.Type.FIND_NODE, new byte[] {1}))).isEmpty();
  }

  @Test
  void invalidPutValueIsNotStoredAndScored() {
    byte[] key = Keys.runKey(victim.node.peerId(), "run");
    byte[] forged = SignedRecords.sign(mallory.key, key, "x".getBytes(StandardCharsets.UTF_8), 1, h.net.wallClock().epochMillis() + 60_000);
    Optional<DhtMessage> reply = victim.node.handleRequest(mallory.node.self(), true, DhtMessage.putValue(new DhtMessage.DhtRecord(key, forged, "")));
    assertThat(reply).isEmpty();
    assertThat(victim.node.records().get(key)).isEmpty();
    assertThat(score()).isNegative();
    // record key differing from the message key
    DhtMessage mismatched = new DhtMessage(DhtMessage.Type.PUT_VALUE, new byte[] {1}, new DhtMessage.DhtRecord(key, forged, ""), List.of(), List.of());
    assertThat(victim.node.handleRequest(mallory.node.self(), true, mismatched)).isEmpty();
  }

  @Test
  void oversizedPutIsRejectedByTheCodecAndScored() {
    byte[] wire = DhtProto.Message.newBuilder().setType(DhtProto.Message.MessageType.PUT_VALUE)
        .setRecord(DhtProto.Record.newBuilder().setKey(ByteString.copyFromUtf8("/pk/x")).setValue(ByteString.copyFrom(new byte[DhtCodec.MAX_VALUE_BYTES + 10])))
        .build().toByteArray();
    try {
      DhtCodec.decode(wire);
      throw new AssertionError("oversized value decoded");
    } catch (dev.weft.dht.codec.DhtDecodeException e) {
      victim.node.onMalformedRequest(mallory.node.peerId(), e.getMessage());
    }
    assertThat(score()).isNegative();
  }

  @Test
  void forgedProviderAnnouncementsAreIgnored() {
    byte[] mh = Multihash.sha256(new byte[] {1}).bytes();
    PeerInfo someoneElse = honest.get(3).node.self();
    assertThat(victim.node.handleRequest(mallory.node.self(), true, DhtMessage.addProvider(mh, someoneElse))).isEmpty();
    assertThat(victim.node.providerBook().has(mh, someoneElse.id())).isFalse();
    assertThat(score()).isNegative();
    // a key that is not a multihash
    victim.node.handleRequest(mallory.node.self(), true, DhtMessage.addProvider(new byte[] {(byte) 0xFF}, mallory.node.self()));
    assertThat(victim.node.providerBook().size()).isZero();
    // its own announcement is fine
    victim.node.handleRequest(mallory.node.self(), true, DhtMessage.addProvider(mh, mallory.node.self()));
    assertThat(victim.node.providerBook().has(mh, mallory.node.peerId())).isTrue();
  }

  @Test
  void wrongValuesInGetRepliesAreRejected() {
    byte[] key = Keys.runKey(victim.node.peerId(), "run");
    byte[] forged = SignedRecords.sign(mallory.key, key, "x".getBytes(StandardCharsets.UTF_8), 1, h.net.wallClock().epochMillis() + 60_000);
    malloryAnswers(DhtCodec.encode(new DhtMessage(DhtMessage.Type.GET_VALUE, key, new DhtMessage.DhtRecord(key, forged, ""), List.of(), List.of())));
    var q = h.await(honest.get(5).node.getValue(key, false));
    assertThat(q.value()).isEmpty();
  }

  @Test
  void clientModeNeverAnswers() {
    SimKadNetwork.SimNode client = h.net.addNode(SimHarness.simConfig().withMode(DhtMode.CLIENT), h.validators);
    assertThat(client.node.handleRequest(victim.node.self(), true, DhtMessage.request(DhtMessage.Type.FIND_NODE, new byte[] {1}))).isEmpty();
    var q = h.await(client.node.bootstrap(List.of(honest.get(0).node.self())));
    assertThat(q.closest()).isNotEmpty();
    // a client queries but never enters anyone's routing table
    h.scheduler.runFor(60_000);
    for (SimKadNetwork.SimNode n : honest) assertThat(n.node.routingTable().contains(client.node.peerId())).isFalse();
  }
}
