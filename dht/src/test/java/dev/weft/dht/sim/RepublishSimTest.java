package dev.weft.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtMode;
import dev.weft.dht.QueryResult;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Records and provider records live only as long as their owner republishes them: with a 1 h
 * republish and 2 h expiry, after 3 h a live owner's announcements are still found, and a
 * departed owner's are gone from every node.
 */
class RepublishSimTest {
  static final long SEED = 0x5EED_0005L;

  static DhtConfig shortLived() {
    DhtConfig d = SimHarness.simConfig();
    return d.withTtls(2 * DhtConfig.HOUR, 2 * DhtConfig.HOUR, DhtConfig.HOUR);
  }

  @Test
  void liveOwnersRepublishAndDepartedOwnersExpire() {
    SimHarness h = new SimHarness(SEED, 0.0);
    List<SimKadNetwork.SimNode> nodes = new ArrayList<>();
    for (int i = 0; i < 30; i++) nodes.add(h.net.addNode(shortLived(), h.validators));
    nodes.get(0).node.start();
    for (int i = 1; i < nodes.size(); i++) {
      SimKadNetwork.SimNode n = nodes.get(i);
      h.scheduler.schedule(i * 100L, () -> {
        n.node.start();
        n.node.bootstrap(List.of(nodes.get(0).node.self()));
      });
    }
    h.scheduler.runFor(60_000);

    SimKadNetwork.SimNode stays = nodes.get(5);
    SimKadNetwork.SimNode leaves = nodes.get(6);
    Random r = new Random(SEED);
    byte[] mhStays = KadNetworkSimTest.randomMultihash(r);
    byte[] mhLeaves = KadNetworkSimTest.randomMultihash(r);
    byte[] key = Keys.runKey(stays.node.peerId(), "run");
    byte[] value = SignedRecords.sign(stays.key, key, "m".getBytes(StandardCharsets.UTF_8), 1, h.net.wallClock().epochMillis() + 48 * DhtConfig.HOUR);
    h.await(stays.node.provide(mhStays));
    h.await(stays.node.putValue(key, value));
    h.await(leaves.node.provide(mhLeaves));
    leaves.kill();

    h.scheduler.runFor(3 * DhtConfig.HOUR);
    SimKadNetwork.SimNode asker = nodes.get(20);
    var found = h.await(asker.node.findProviders(mhStays, 1, false));
    assertThat(found.providers()).extracting(p -> p.id()).containsExactly(stays.node.peerId());
    assertThat(h.await(asker.node.getValue(key, false)).value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    var gone = h.await(asker.node.findProviders(mhLeaves, 1, false));
    assertThat(gone.providers()).isEmpty();
    for (SimKadNetwork.SimNode n : nodes) {
      if (n.online()) assertThat(n.node.providerBook().has(mhLeaves, leaves.node.peerId())).isFalse();
    }
  }
}
