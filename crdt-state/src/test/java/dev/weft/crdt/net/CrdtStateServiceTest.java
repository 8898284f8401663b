package dev.weft.crdt.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaConfig;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.HybridClock;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.SimNet;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.pubsub.gossipsub.GossipsubConfig;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreParams;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreThresholds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The service on real hosts (memory transport, virtual time): writes travel by gossip; a host
 * that joins late catches up by the anti-entropy session its connection starts; a peer that
 * floods raw bytes on the sync protocol is reset without harm.
 */
class CrdtStateServiceTest {
  static final String RUN = "svc-run";

  record Node(HostBuilder.Built built, GossipsubService gossip, CrdtStateService svc) {
    Replica replica() {
      return svc.replica();
    }
  }

  static Node node(SimNet net, long seed, PeerId coordinator) {
    HostBuilder.Built b = net.add(seed);
    GossipsubService g = new GossipsubService(b.host(), net.sim, new Random(seed), GossipsubConfig.defaults(),
        PeerScoreParams.defaults(Map.of()), PeerScoreThresholds.defaults(), (m, id, from) -> { });
    g.start();
    Schema schema = RunSchema.standard(coordinator != null ? coordinator : b.host().peerId(), QuorumCertificate.verifier(Set.of(), 1), null);
    Replica r = new Replica(RUN, schema, b.host().privateKey(), new HybridClock(() -> 1_767_225_600_000L + net.sim.nowMillis(), 60_000),
        ReplicaConfig.defaults(), ReplicaStore.NONE);
    CrdtStateService s = new CrdtStateService(b.host(), g, net.sim, r, new SyncConfig(64 << 10, 1 << 20, 256, 8, 64, 64, 2_000, 5_000), new Random(seed));
    s.start();
    return new Node(b, g, s);
  }

  static Multiaddr addr(Node n) {
    return Multiaddr.parse(n.built().host().listenAddresses().get(0) + "/p2p/" + n.built().host().peerId());
  }

  @Test void writesGossipAndALateJoinerCatchesUpByAntiEntropy() {
    try (SimNet net = new SimNet(42)) {
      List<Node> nodes = new ArrayList<>();
      nodes.add(node(net, 1, null));
      PeerId coord = nodes.get(0).built().host().peerId();
      for (int i = 2; i <= 4; i++) nodes.add(node(net, i, coord));
      for (int i = 1; i < nodes.size(); i++) net.await(nodes.get(i).built().host().dial(addr(nodes.get(0))), 5_000);
      net.sim.runFor(3_000);
      for (Node n : nodes) {
        net.await(n.svc().call(() -> n.svc().publish(new RunState(n.replica()).join(Bytes.utf8("hello from " + n.built().host().peerId())))), 1_000);
      }
      net.sim.runFor(3_000);
      for (Node n : nodes) assertThat(new RunState(n.replica()).members()).hasSize(4);

      Node late = node(net, 9, coord);
      assertThat(late.replica().entries()).isEmpty();
      net.await(late.built().host().dial(addr(nodes.get(2))), 5_000);
      net.sim.runFor(2_000);
      assertThat(new RunState(late.replica()).members()).hasSize(4);
      assertThat(late.replica().stateRoot()).isEqualTo(nodes.get(0).replica().stateRoot());
    }
  }

  @Test void garbageOnTheSyncProtocolResetsTheStreamAndChangesNothing() {
    try (SimNet net = new SimNet(43)) {
      Node a = node(net, 1, null);
      PeerId coord = a.built().host().peerId();
      a.svc().call(() -> new RunState(a.replica()).setManifest("lr", Bytes.utf8("0.1")));
      HostBuilder.Built mallory = net.add(66);
      net.await(mallory.host().dial(addr(a)), 5_000);
      var stream = net.await(mallory.host().newStream(a.built().host().peerId(), List.of(CrdtStateService.PROTOCOL)), 5_000);
      byte[] junk = new byte[64];
      Arrays.fill(junk, (byte) 0xFF);
      stream.write(io.netty.buffer.Unpooled.wrappedBuffer(junk));
      net.sim.runFor(1_000);
      net.await(stream.closeFuture(), 5_000);
      assertThat(((LwwRegister) a.replica().get("manifest/lr")).value()).isEqualTo(Bytes.utf8("0.1"));
      assertThat(coord).isNotNull();
    }
  }
}
