package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Four nodes started at the same instant from one bootstrap node must form one DHT, not two
 * pairs: every node finds every other node's provider record.
 */
class FourNodeBootstrapSimTest {
  @Test
  void fourNodesFromOneBootstrapFormOneDht() {
    for (long seed = 1; seed <= 20; seed++) {
      SimHarness h = new SimHarness(seed, 0.0);
      SimKadNetwork.SimNode boot = h.net.addNode(SimHarness.simConfig(), h.validators);
      List<SimKadNetwork.SimNode> all = new ArrayList<>(List.of(boot));
      for (int i = 0; i < 3; i++) all.add(h.net.addNode(SimHarness.simConfig(), h.validators));
      boot.node.start();
      List<CompletableFuture<QueryResult.ClosestPeers>> boots = new ArrayList<>();
      for (SimKadNetwork.SimNode n : all.subList(1, 4)) {
        n.node.start();
        boots.add(n.node.bootstrap(List.of(boot.node.self())));
      }
      h.awaitAll(boots);

      Random r = new Random(seed);
      List<byte[]> mhs = new ArrayList<>();
      List<CompletableFuture<QueryResult.Stored>> provides = new ArrayList<>();
      for (SimKadNetwork.SimNode n : all) {
        byte[] mh = KadNetworkSimTest.randomMultihash(r);
        mhs.add(mh);
        provides.add(n.node.provide(mh));
      }
      h.awaitAll(provides);
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          if (i == j) continue;
          var q = h.await(all.get(i).node.findProviders(mhs.get(j), 1, false));
          assertThat(q.providers()).as("node %d finds node %d's provider record, seed %d", i, j, seed).extracting(p -> p.id()).contains(all.get(j).node.peerId());
        }
        for (SimKadNetwork.SimNode other : all) {
          if (other != all.get(i)) assertThat(all.get(i).node.routingTable().contains(other.node.peerId())).as("node %d knows %s, seed %d", i, other.node.peerId(), seed).isTrue();
        }
      }
    }
  }
}
