package dev.weft.dht.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.KadNode;
import dev.weft.dht.QueryResult;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.sim.SimHarness;
import dev.weft.dht.sim.SimKadNetwork;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node stops, restarts from its RocksDB directory, and serves its records and providers again. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void recordsProvidersAndRoutingTableSurviveRestart() {
    SimHarness h = new SimHarness(21, 0.0);
    List<SimKadNetwork.SimNode> others = h.build(10, 100);
    RocksDhtStore store = RocksDhtStore.open(dir);
    SimKadNetwork.SimNode node = h.net.addNode(dev.weft.dht.TestEd25519.generate(h.scheduler.random()), SimHarness.simConfig(), h.validators, store);
    node.node.start();
    h.await(node.node.bootstrap(List.of(others.get(0).node.self())));

    // another node stores a value and a provider record on everyone (11 nodes < k)
    SimKadNetwork.SimNode author = others.get(4);
    byte[] key = Keys.runKey(author.node.peerId(), "run");
    byte[] value = SignedRecords.sign(author.key, key, "manifest".getBytes(StandardCharsets.UTF_8), 1, h.net.wallClock().epochMillis() + 3_600_000);
    assertThat(h.await(author.node.putValue(key, value)).stored()).isGreaterThanOrEqualTo(10);
    byte[] mh = Multihash.sha256("shard-0".getBytes(StandardCharsets.UTF_8)).bytes();
    h.await(author.node.provide(mh));
    // and the node itself owns a value
    byte[] ownKey = Keys.runKey(node.node.peerId(), "own");
    byte[] ownValue = SignedRecords.sign(node.key, ownKey, "mine".getBytes(StandardCharsets.UTF_8), 1, h.net.wallClock().epochMillis() + 3_600_000);
    h.await(node.node.putValue(ownKey, ownValue));
    int tableBefore = node.node.routingTable().size();
    assertThat(tableBefore).isGreaterThanOrEqualTo(10);

    node.node.close();
    store.close();
    node.kill();

    RocksDhtStore reopened = RocksDhtStore.open(dir);
    try {
      SimKadNetwork.SimNode again = h.net.restart(node, SimHarness.simConfig(), h.validators, reopened);
      KadNode n = again.node;
      assertThat(n.routingTable().size()).isEqualTo(tableBefore);
      Optional<DhtMessage> got = n.handleRequest(others.get(1).node.self(), true, DhtMessage.request(DhtMessage.Type.GET_VALUE, key));
      assertThat(got).isPresent();
      assertThat(got.get().record()).isNotNull();
      assertThat(got.get().record().value()).isEqualTo(value);
      Optional<DhtMessage> provs = n.handleRequest(others.get(1).node.self(), true, DhtMessage.request(DhtMessage.Type.GET_PROVIDERS, mh));
      assertThat(provs.get().providerPeers()).extracting(p -> p.id()).contains(author.node.peerId());
      assertThat(n.records().ownRecords()).hasSize(1);
      // and it works in the network again: another node finds the provider through it
      n.start();
      var q = h.await(others.get(2).node.findProviders(mh, 1, false));
      assertThat(q.providers()).isNotEmpty();
    } finally {
      reopened.close();
    }
  }

  @Test
  void storeSkipsCorruptEntriesAndCountsSurviveReopen() {
    try (RocksDhtStore s = RocksDhtStore.open(dir)) {
      s.putRecord(new byte[] {1}, new StoredRecord(new byte[] {2}, 5, false));
      s.putRecord(new byte[] {1}, new StoredRecord(new byte[] {3}, 6, true));
      s.putProvider(new byte[] {7}, new ProviderRecord(dev.weft.dht.TestPeers.peerId(new java.util.Random(1)), List.of(dev.weft.dht.TestPeers.addr(1)), 9));
      assertThat(s.recordCount()).isEqualTo(1);
    }
    try (RocksDhtStore s = RocksDhtStore.open(dir)) {
      assertThat(s.recordCount()).isEqualTo(1);
      assertThat(s.providerCount()).isEqualTo(1);
      assertThat(s.getRecord(new byte[] {1}).orElseThrow().value()).isEqualTo(new byte[] {3});
      assertThat(s.providers(new byte[] {7}, 10)).hasSize(1);
      // a key that is a prefix of another key's range stays separate
      assertThat(s.providers(new byte[] {}, 10)).isEmpty();
      s.deleteProvider(new byte[] {7}, s.providers(new byte[] {7}, 10).get(0).provider());
      assertThat(s.providerCount()).isZero();
    }
  }
}
