package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.SimNet;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.pubsub.RpcFrameDecoder;
import dev.weft.p2p.transport.memory.LinkConfig;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gossipsub over real hosts (multistream, streams, framing) on the in-memory transport and virtual time. */
class GossipsubServiceTest {
  private static final String TOPIC = "weft/run/test/state";
  private final SimNet net = new SimNet(77);
  private final List<GossipsubService> services = new ArrayList<>();
  private final Map<PeerId, List<String>> received = new HashMap<>();

  @AfterEach
  void close() {
    services.forEach(GossipsubService::close);
    net.close();
  }

  private GossipsubService service(BasicHost h) {
    PeerId self = h.peerId();
    GossipsubService s = new GossipsubService(h, net.sim, new Random(h.peerId().hashCode()), GossipsubConfig.defaults(),
        PeerScoreParams.defaults(Map.of(TOPIC, TopicScoreParams.defaults())), PeerScoreThresholds.defaults(),
        (m, id, from) -> received.computeIfAbsent(self, k -> new ArrayList<>()).add(new String(m.data())));
    s.start();
    services.add(s);
    return s;
  }

  private static Multiaddr addr(BasicHost h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  @Test
  void messagesCrossAChainOfHostsBothWays() {
    net.network.setDefaultLink(LinkConfig.latency(15));
    List<BasicHost> hosts = new ArrayList<>();
    for (int i = 0; i < 5; i++) hosts.add(net.add(100 + i).host());
    List<GossipsubService> svcs = new ArrayList<>();
    for (BasicHost h : hosts) svcs.add(service(h));
    for (int i = 0; i + 1 < hosts.size(); i++) net.await(hosts.get(i).dial(addr(hosts.get(i + 1))), 2_000);
    for (GossipsubService s : svcs) s.subscribe(TOPIC);
    net.sim.runFor(3_000);
    for (int i = 0; i < hosts.size(); i++) {
      int expected = i == 0 || i == hosts.size() - 1 ? 1 : 2;
      assertThat(net.await(svcs.get(i).mesh(TOPIC), 100)).as("mesh of host %d", i).hasSize(expected);
    }
    net.await(svcs.get(0).publish(TOPIC, "from-first".getBytes()), 100);
    net.await(svcs.get(4).publish(TOPIC, "from-last".getBytes()), 100);
    net.sim.runFor(2_000);
    for (int i = 1; i < 5; i++) assertThat(received.get(hosts.get(i).peerId())).as("host %d", i).contains("from-first");
    for (int i = 0; i < 4; i++) assertThat(received.get(hosts.get(i).peerId())).as("host %d", i).contains("from-last");
    assertThat(received.get(hosts.get(0).peerId())).doesNotContain("from-first");
  }

  @Test
  void directPeersGetEveryMessageOutsideTheMeshAndAreRedialled() {
    BasicHost a = net.add(1).host();
    BasicHost b = net.add(2).host();
    GossipsubService sa = service(a);
    GossipsubService sb = service(b);
    sa.subscribe(TOPIC);
    sb.subscribe(TOPIC);
    net.await(sa.addDirectPeer(addr(b)), 100);
    net.await(sb.addDirectPeer(addr(a)), 100);
    net.sim.runFor(3_000);
    // Explicit peers never mesh with each other, yet messages flow.
    assertThat(net.await(sa.mesh(TOPIC), 100)).isEmpty();
    net.await(sa.publish(TOPIC, "direct".getBytes()), 100);
    net.sim.runFor(500);
    assertThat(received.get(b.peerId())).containsExactly("direct");
    for (var c : a.connections(b.peerId())) c.close();
    net.sim.runFor(1_000);
    assertThat(a.connections(b.peerId())).isEmpty();
    net.sim.runFor(GossipsubService.DIRECT_CONNECT_CHECK_MILLIS);
    assertThat(a.connections(b.peerId())).isNotEmpty();
    net.sim.runFor(1_000);
    net.await(sa.publish(TOPIC, "again".getBytes()), 100);
    net.sim.runFor(500);
    assertThat(received.get(b.peerId())).containsExactly("direct", "again");
  }

  @Test
  void hostsWithoutPubsubAreNotPeers() {
    BasicHost a = net.add(1).host();
    BasicHost plain = net.add(2).host();
    GossipsubService s = service(a);
    net.await(a.dial(addr(plain)), 2_000);
    net.sim.runFor(1_000);
    assertThat(net.await(s.call(() -> s.router().peers()), 100)).isEmpty();
  }

  @Test
  void oversizedOrGarbageFramesResetTheStreamAndCostTheSender() {
    BasicHost a = net.add(1).host();
    BasicHost attacker = net.add(2).host();
    GossipsubService s = service(a);
    // The attacker speaks pubsub just enough to be a peer: it answers our outbound stream.
    attacker.setStreamHandler(GossipsubProtocol.MESHSUB_V11.id, st -> st.setHandler(new dev.weft.p2p.protocol.io.DiscardingHandler()));
    net.await(attacker.dial(addr(a)), 2_000);
    net.sim.runFor(500);
    assertThat(net.await(s.call(() -> s.router().peers()), 100)).contains(attacker.peerId());
    Stream st = net.await(attacker.newStream(a.peerId(), List.of(GossipsubProtocol.MESHSUB_V11.id)), 2_000);
    // A length prefix announcing 2 MiB: refused before any body byte is buffered.
    st.write(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}));
    net.sim.runFor(500);
    assertThat(st.closeFuture()).isDone();
    Stream st2 = net.await(attacker.newStream(a.peerId(), List.of(GossipsubProtocol.MESHSUB_V11.id)), 2_000);
    // A well-framed RPC whose body is not protobuf.
    st2.write(Unpooled.wrappedBuffer(RpcFrameDecoder.frame(new byte[] {0x12, 0x7f, 0x01})));
    net.sim.runFor(500);
    assertThat(net.await(s.score(attacker.peerId()), 100)).isLessThan(-30);
    assertThat(s.router().counters().malformedRpcs()).isEqualTo(2);
    // A complete frame, then the start of one that never finishes: reset after the frame timeout.
    Stream slow = net.await(attacker.newStream(a.peerId(), List.of(GossipsubProtocol.MESHSUB_V11.id)), 2_000);
    byte[] ok = RpcFrameDecoder.frame(dev.weft.p2p.pubsub.RpcCodec.encode(dev.weft.p2p.pubsub.Rpc.EMPTY));
    slow.write(Unpooled.wrappedBuffer(ok));
    slow.write(Unpooled.wrappedBuffer(new byte[] {0x10, 1, 2}));
    net.sim.runFor(GossipsubService.PARTIAL_FRAME_TIMEOUT_MILLIS - 1_000);
    assertThat(slow.closeFuture()).isNotDone();
    net.sim.runFor(2_000);
    assertThat(slow.closeFuture()).isDone();
  }

  @Test
  void aNewInboundStreamReplacesTheOlderOneSoAPeerCannotPinManyFrameBuffers() {
    BasicHost a = net.add(1).host();
    BasicHost attacker = net.add(2).host();
    GossipsubService s = service(a);
    attacker.setStreamHandler(GossipsubProtocol.MESHSUB_V11.id, st -> st.setHandler(new dev.weft.p2p.protocol.io.DiscardingHandler()));
    net.await(attacker.dial(addr(a)), 2_000);
    net.sim.runFor(500);
    // Each stream announces a 1 MiB frame (within the limit) and never sends it.
    byte[] prefix = {(byte) 0x80, (byte) 0x80, 0x40};
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Stream st = net.await(attacker.newStream(a.peerId(), List.of(GossipsubProtocol.MESHSUB_V11.id)), 2_000);
      st.write(Unpooled.wrappedBuffer(prefix));
      net.sim.runFor(200);
      streams.add(st);
    }
    for (int i = 0; i < 3; i++) assertThat(streams.get(i).closeFuture()).as("stream %d", i).isDone();
    assertThat(streams.get(3).closeFuture()).isNotDone();
    assertThat(s.router().counters().malformedRpcs()).isZero();
  }

  @Test
  void emptyFramesCountAgainstTheReadQueueBudget() {
    BasicHost a = net.add(1).host();
    BasicHost attacker = net.add(2).host();
    GossipsubService s = service(a);
    attacker.setStreamHandler(GossipsubProtocol.MESHSUB_V11.id, st -> st.setHandler(new dev.weft.p2p.protocol.io.DiscardingHandler()));
    net.await(attacker.dial(addr(a)), 2_000);
    net.sim.runFor(500);
    // Every zero byte is a complete empty frame: free to send, but each one is a queued router task.
    int frames = 200_000;
    Stream st = net.await(attacker.newStream(a.peerId(), List.of(GossipsubProtocol.MESHSUB_V11.id)), 2_000);
    st.write(Unpooled.wrappedBuffer(new byte[frames]));
    net.sim.runFor(2_000);
    long processed = s.router().counters().rpcsReceived();
    assertThat(processed).isPositive()
        .isLessThanOrEqualTo(GossipsubService.MAX_QUEUED_READ_BYTES / GossipsubService.QUEUED_FRAME_OVERHEAD_BYTES);
  }

  @Test
  void peersSubscribedBeforeConnectingLearnEachOthersTopics() {
    for (long latency : new long[] {0, 1, 15, 40}) {
      net.network.setDefaultLink(LinkConfig.latency(latency));
      BasicHost a = net.add((int) (300 + latency)).host();
      BasicHost b = net.add((int) (400 + latency)).host();
      GossipsubService sa = service(a);
      GossipsubService sb = service(b);
      sa.subscribe(TOPIC);
      sb.subscribe(TOPIC);
      net.sim.runFor(100);
      net.await(a.dial(addr(b)), 2_000);
      net.sim.runFor(5_000);
      assertThat(net.await(sa.topicPeers(TOPIC), 100)).as("a's view, latency %d", latency).containsExactly(b.peerId());
      assertThat(net.await(sb.topicPeers(TOPIC), 100)).as("b's view, latency %d", latency).containsExactly(a.peerId());
    }
  }
}
