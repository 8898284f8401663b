package dev.weft.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtMode;
import dev.weft.dht.QueryResult;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.SimNet;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A running DHT node switching to client mode (what a node does when AutoNAT says others cannot
 * dial it) and back: its peers drop it from their routing tables once identify tells them, it
 * stores no provider records for them, and it still finds what it asks for; back in server mode it
 * is added again. Real hosts on the in-memory transport, virtual time.
 */
class KadDhtModeSwitchTest {
  static final int HOSTS = 6;

  @Test void aNodeThatGoesClientLeavesTheTablesStillQueriesAndComesBack() {
    try (SimNet net = new SimNet(91)) {
      ValidatorRegistry validators = ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey);
      DhtConfig config = DhtConfig.defaults().withLookup(new LookupConfig(20, 3, 2_000, 1));
      List<HostBuilder.Built> hosts = new ArrayList<>();
      List<KadDht> dhts = new ArrayList<>();
      for (int i = 0; i < HOSTS; i++) {
        HostBuilder.Built b = net.add(2000 + i);
        hosts.add(b);
        dhts.add(KadDht.install(b.host(), config, new MemoryDhtStore(), validators, b.ping(), true, () -> 1_767_225_600_000L + net.sim.nowMillis(), new Random(i)));
      }
      Multiaddr boot = Multiaddr.parse(hosts.get(0).host().listenAddresses().get(0) + "/p2p/" + hosts.get(0).host().peerId());
      for (int i = 1; i < HOSTS; i++) net.await(dhts.get(i).bootstrap(List.of(boot)), 120_000);
      net.sim.runFor(60_000);
      KadDht last = dhts.get(HOSTS - 1);
      PeerId lastId = hosts.get(HOSTS - 1).host().peerId();
      assertThat(dhts.get(0).node().routingTable().contains(lastId)).as("a server is in the tables").isTrue();

      assertThat(last.setMode(DhtMode.CLIENT)).isTrue();
      assertThat(last.setMode(DhtMode.CLIENT)).as("no change the second time").isFalse();
      assertThat(hosts.get(HOSTS - 1).host().protocols()).doesNotContain(config.protocolId());
      net.sim.runFor(30_000); // identify push
      for (int i = 0; i < HOSTS - 1; i++) {
        assertThat(dhts.get(i).node().routingTable().contains(lastId)).as("table of %d after the switch", i).isFalse();
      }
      byte[] mh = Multihash.sha256("run-blob".getBytes()).bytes();
      QueryResult.Stored stored = net.await(dhts.get(1).node().provide(mh), 60_000);
      assertThat(stored.stored()).isPositive().isLessThanOrEqualTo(HOSTS - 2);
      assertThat(last.node().providerBook().get(mh, 10)).as("a client stores nothing for others").isEmpty();
      QueryResult.Providers found = net.await(last.node().findProviders(mh, 1, false), 60_000);
      assertThat(found.providers()).extracting(p -> p.id()).containsExactly(hosts.get(1).host().peerId());

      assertThat(last.setMode(DhtMode.SERVER)).isTrue();
      net.sim.runFor(30_000);
      assertThat(dhts.get(0).node().routingTable().contains(lastId)).as("back in the table once it serves again").isTrue();
      dhts.forEach(KadDht::close);
    }
  }
}
