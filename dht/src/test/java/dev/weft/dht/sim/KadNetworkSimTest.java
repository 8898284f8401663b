package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.QueryResult;
import dev.weft.p2p.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** 500 honest DHT nodes on virtual time: lookups, values, providers, churn. */
class KadNetworkSimTest {
  static final int NODES = 500;
  static final long SEED = Long.getLong("dht.sim.seed", 0x5EED_0001L);
  /** Messages (requests and replies alike) lost outright: no retransmission, the request times out. */
  static final double LOSS = 0.01;

  @Test
  void lookupsFindTheClosestPeersIn500Nodes() {
    SimHarness h = new SimHarness(SEED, LOSS);
    long t0 = cpuNanos();
    List<SimKadNetwork.SimNode> nodes = h.build(NODES, 50);
    long built = cpuNanos();
    Random r = new Random(SEED);
    int lookups = 300;
    List<CompletableFuture<QueryResult.ClosestPeers>> fs = new ArrayList<>();
    List<KadKey> targets = new ArrayList<>();
    for (int i = 0; i < lookups; i++) {
      byte[] key = new byte[20];
      r.nextBytes(key);
      targets.add(KadKey.ofKey(key));
      fs.add(nodes.get(r.nextInt(NODES)).node.findClosestPeers(key));
    }
    List<QueryResult.ClosestPeers> results = h.awaitAll(fs);
    int ok = 0;
    double recall = 0;
    List<Integer> hops = new ArrayList<>();
    List<Integer> msgs = new ArrayList<>();
    List<Integer> millis = new ArrayList<>();
    for (int i = 0; i < lookups; i++) {
      List<SimKadNetwork.SimNode> truth = h.trueClosest(targets.get(i), 20);
      List<PeerInfo> got = results.get(i).closest();
      if (!got.isEmpty() && got.contains(truth.get(0).node.self())) ok++;
      else {
        PeerInfo t = truth.get(0).node.self();
        long knowers = nodes.stream().filter(g -> g.node.routingTable().contains(t.id())).count();
        System.out.printf("missed: lookup %d got %d peers; %d nodes have the closest peer in their table (its own table: %d)%n", i, got.size(), knowers,
            truth.get(0).node.routingTable().size());
      }
      recall += truth.stream().filter(t -> got.contains(t.node.self())).count() / 20.0;
      hops.add(results.get(i).hops());
      msgs.add(results.get(i).messages());
      millis.add((int) results.get(i).millis());
    }
    long rt = 0;
    for (SimKadNetwork.SimNode n : nodes) rt += n.node.routingTable().size();
    System.out.printf("500-node sim (seed %d): %d/%d lookups found the closest peer, mean recall of the true 20 closest %.3f; hops median %d p99 %d;"
        + " messages median %d p99 %d; virtual latency median %d ms p99 %d ms (links 10-100 ms one way); mean routing table %.1f; build %.1fs, lookups %.1fs CPU%n",
        SEED, ok, lookups, recall / lookups,
        SimHarness.percentile(hops, 0.5), SimHarness.percentile(hops, 0.99), SimHarness.percentile(msgs, 0.5), SimHarness.percentile(msgs, 0.99),
        SimHarness.percentile(millis, 0.5), SimHarness.percentile(millis, 0.99),
        rt / (double) NODES, (built - t0) / 1e9, (cpuNanos() - built) / 1e9);
    assertThat(ok).as("lookups finding the closest peer, seed %d", SEED).isGreaterThanOrEqualTo((int) Math.ceil(lookups * 0.99));
  }

  static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static byte[] randomMultihash(Random r) {
    byte[] d = new byte[32];
    r.nextBytes(d);
    return new Multihash(Multihash.SHA2_256, d).bytes();
  }
}
