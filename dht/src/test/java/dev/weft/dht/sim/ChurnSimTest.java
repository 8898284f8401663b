package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.QueryResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** 500 nodes, 100 provided keys, then 30% of the nodes leave abruptly. */
class ChurnSimTest {
  static final long SEED = Long.getLong("dht.sim.seed", 0x5EED_0002L);

  @Test
  void providersStillFoundAfterThirtyPercentLeaveAndOneRefreshPeriod() {
    SimHarness h = new SimHarness(SEED, 0.01);
    List<SimKadNetwork.SimNode> nodes = h.build(KadNetworkSimTest.NODES, 50);
    Random r = new Random(SEED);
    int keys = 100;
    List<byte[]> mhs = new ArrayList<>();
    List<CompletableFuture<QueryResult.Stored>> provides = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      byte[] mh = KadNetworkSimTest.randomMultihash(r);
      mhs.add(mh);
      provides.add(nodes.get(r.nextInt(nodes.size())).node.provide(mh));
    }
    List<QueryResult.Stored> stored = h.awaitAll(provides);
    assertThat(stored).allSatisfy(q -> assertThat(q.stored()).as("ADD_PROVIDERs accepted, seed %d", SEED).isGreaterThanOrEqualTo(15));

    List<SimKadNetwork.SimNode> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, r);
    int leaving = nodes.size() * 30 / 100;
    for (int i = 0; i < leaving; i++) shuffled.get(i).kill();
    h.scheduler.runFor(SimHarness.SIM_REFRESH_MILLIS + 60_000);

    List<SimKadNetwork.SimNode> alive = shuffled.subList(leaving, shuffled.size());
    List<CompletableFuture<QueryResult.Providers>> finds = new ArrayList<>();
    for (byte[] mh : mhs) finds.add(alive.get(r.nextInt(alive.size())).node.findProviders(mh, 1, false));
    List<QueryResult.Providers> found = h.awaitAll(finds);
    long ok = found.stream().filter(q -> !q.providers().isEmpty()).count();
    List<Integer> hops = found.stream().map(QueryResult::hops).toList();
    List<Integer> msgs = found.stream().map(QueryResult::messages).toList();
    System.out.printf("churn sim (seed %d): %d of %d nodes left; %d/%d provider lookups succeeded after one refresh period;"
        + " hops median %d p99 %d, messages median %d p99 %d%n", SEED, leaving, nodes.size(), ok, keys,
        SimHarness.percentile(hops, 0.5), SimHarness.percentile(hops, 0.99), SimHarness.percentile(msgs, 0.5), SimHarness.percentile(msgs, 0.99));
    assertThat(ok).as("provider lookups after churn, seed %d", SEED).isGreaterThanOrEqualTo(95);
  }
}
