package dev.weft.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.QueryResult;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.SimNet;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DHT installed as any third-party service is, through the builder's {@code service(...)}:
 * it is found by type, uses the host's scheduler, finds ping through the context, joins a
 * network, and the host closes it (its protocol handler goes with it).
 */
class KadDhtServiceSeamTest {
  @Test
  void theDhtIsAHostServiceLikeAnyOther() {
    try (SimNet net = new SimNet(91)) {
      ValidatorRegistry validators = ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey);
      DhtConfig config = DhtConfig.defaults().withLookup(new LookupConfig(20, 3, 2_000, 1));
      HostBuilder.Built a = net.add(1, b -> b.service(KadDht.factory(config, new MemoryDhtStore(), validators, true, () -> 1_767_225_600_000L)));
      HostBuilder.Built b = net.add(2, x -> x.service(KadDht.factory(config, new MemoryDhtStore(), validators, true, () -> 1_767_225_600_000L)));
      KadDht da = a.service(KadDht.class).orElseThrow();
      KadDht db = b.service(KadDht.class).orElseThrow();
      assertThat(a.host().protocols()).contains(config.protocolId());

      Multiaddr boot = Multiaddr.parse(a.host().listenAddresses().get(0) + "/p2p/" + a.host().peerId());
      QueryResult.ClosestPeers joined = net.await(db.bootstrap(List.of(boot)), 60_000);
      assertThat(joined).isNotNull();
      net.sim.runFor(10_000);
      assertThat(db.node().routingTable().contains(a.host().peerId())).isTrue();
      assertThat(da.node().routingTable().contains(b.host().peerId())).as("a learnt b through identify").isTrue();

      a.host().close();
      net.sim.runFor(1_000);
      assertThat(a.host().protocols()).as("closed with its host").doesNotContain(config.protocolId());
    }
  }
}
