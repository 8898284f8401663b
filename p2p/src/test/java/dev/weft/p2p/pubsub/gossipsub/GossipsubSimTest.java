package dev.weft.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.gossipsub.SimGossipNetwork.Behaviour;
import dev.weft.p2p.pubsub.gossipsub.SimGossipNetwork.Node;
import dev.weft.p2p.pubsub.gossipsub.SimGossipNetwork.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100 gossipsub routers on virtual time (seeded; a failure prints the seed): every message
 * reaches every subscriber; with 20% droppers and spammers honest delivery stays ≥ 99% and the
 * spammers end up graylisted. Prints delivery latency, hops and amplification.
 */
class GossipsubSimTest {
  static final int NODES = 100;
  static final int DIALS = 8;
  static final int MESSAGES = 100;
  static final long PUBLISH_EVERY_MILLIS = 100;

  static PeerScoreParams scoreParams() {
    return PeerScoreParams.defaults(Map.of(SimGossipNetwork.TOPIC, TopicScoreParams.defaults()));
  }

  /** Builds and runs the network; returns it for inspection. */
  static SimGossipNetwork run(long seed, int droppers, int spammers, double loss) {
    return run(seed, droppers, spammers, loss, GossipsubConfig.defaults());
  }

  static SimGossipNetwork run(long seed, int droppers, int spammers, double loss, GossipsubConfig config) {
    SimGossipNetwork net = new SimGossipNetwork(seed, loss, 10, 60);
    for (int i = 0; i < NODES; i++) {
      Behaviour b = i < droppers ? Behaviour.DROPPER : i < droppers + spammers ? Behaviour.SPAMMER : Behaviour.HONEST;
      net.addNode(b, config, scoreParams(), PeerScoreThresholds.defaults());
    }
    net.connectRandomly(DIALS);
    for (Node n : net.nodes) n.router.subscribe(SimGossipNetwork.TOPIC);
    net.startAll();
    net.scheduler.runFor(5_000);
    List<Node> honest = net.nodes.stream().filter(n -> n.behaviour == Behaviour.HONEST).toList();
    List<Node> spamNodes = net.nodes.stream().filter(n -> n.behaviour == Behaviour.SPAMMER).toList();
    for (int i = 0; i < MESSAGES; i++) {
      net.publish(honest.get(net.scheduler.random().nextInt(honest.size())), 256);
      if (i % 5 == 0) for (Node s : spamNodes) net.spam(s, 3);
      net.scheduler.runFor(PUBLISH_EVERY_MILLIS);
    }
    net.scheduler.runFor(10_000);
    return net;
  }

  /** Delivery statistics of one run, over the honest receivers. */
  record Stats(double deliveryRatio, long p50Millis, long p99Millis, int p50Hops, int p99Hops, double meanHops,
      double duplicatesPerDelivery, double transmissionsPerReceiver) {
    @Override public String toString() {
      return String.format("delivery %.4f, latency p50 %d ms p99 %d ms, hops p50 %d p99 %d mean %.2f, duplicates/delivery %.2f, transmissions/receiver %.2f",
          deliveryRatio, p50Millis, p99Millis, p50Hops, p99Hops, meanHops, duplicatesPerDelivery, transmissionsPerReceiver);
    }
  }

  static Stats stats(SimGossipNetwork net) {
    List<Long> lat = new ArrayList<>();
    List<Integer> hops = new ArrayList<>();
    long expected = 0, got = 0, copies = 0, transmissions = 0;
    for (Trace t : net.traces.values()) {
      transmissions += t.transmissions;
      for (Node n : net.nodes) {
        if (n.behaviour != Behaviour.HONEST || n.index == t.publisher) continue;
        expected++;
        Long at = t.deliveredAt.get(n.index);
        if (at == null) continue;
        got++;
        lat.add(at - t.publishedAt);
        hops.add(t.hops.get(n.index));
        copies += t.copiesReceived.getOrDefault(n.index, 0);
      }
    }
    Collections.sort(lat);
    Collections.sort(hops);
    double meanHops = hops.stream().mapToInt(Integer::intValue).average().orElse(0);
    return new Stats((double) got / expected, pct(lat, 50), pct(lat, 99), pct(hops, 50), pct(hops, 99), meanHops,
        (double) (copies - got) / got, (double) transmissions / expected);
  }

  private static <T> T pct(List<T> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  @Test
  void everyMessageReachesEverySubscriber() {
    long seed = 20261125L;
    SimGossipNetwork net = run(seed, 0, 0, 0.01);
    Stats s = stats(net);
    System.out.println("[gossipsub sim, 100 honest nodes, 1% RPC loss, seed " + seed + "] " + s + ", rpcs lost " + net.rpcsLost);
    for (Map.Entry<MessageId, Trace> e : net.traces.entrySet()) {
      assertThat(e.getValue().deliveredAt).as("seed %d: message %s reached", seed, e.getKey()).hasSize(NODES);
    }
    for (Node n : net.nodes) {
      int mesh = n.router.mesh(SimGossipNetwork.TOPIC).size();
      assertThat(mesh).as("seed %d: mesh of node %d", seed, n.index).isBetween(GossipsubConfig.defaults().dLo() - 1, GossipsubConfig.defaults().dHi());
    }
    assertThat(s.p99Hops()).as("seed %d", seed).isLessThanOrEqualTo(8);
  }

  @Test
  void honestDeliverySurvivesDroppersAndSpammersWhoGetGraylisted() {
    long seed = 42L;
    SimGossipNetwork net = run(seed, 10, 10, 0.0);
    Stats s = stats(net);
    System.out.println("[gossipsub sim, 80 honest + 10 droppers + 10 spammers, seed " + seed + "] " + s);
    assertThat(s.deliveryRatio()).as("seed %d: honest delivery", seed).isGreaterThanOrEqualTo(0.99);
    double graylist = PeerScoreThresholds.defaults().graylist();
    int pairs = 0;
    for (Node n : net.nodes) {
      if (n.behaviour != Behaviour.HONEST) continue;
      for (PeerId p : n.latency.keySet()) {
        Node other = net.byId.get(p);
        if (other.behaviour != Behaviour.SPAMMER) continue;
        pairs++;
        assertThat(n.router.score(p)).as("seed %d: node %d's score of spammer %d", seed, n.index, other.index).isLessThan(graylist);
      }
      for (PeerId p : n.router.mesh(SimGossipNetwork.TOPIC)) {
        assertThat(net.byId.get(p).behaviour).as("seed %d: spammer in node %d's mesh", seed, n.index).isNotEqualTo(Behaviour.SPAMMER);
      }
    }
    assertThat(pairs).isGreaterThan(50);
  }
}
