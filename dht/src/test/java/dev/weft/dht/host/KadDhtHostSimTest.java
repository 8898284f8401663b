package dev.weft.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtMode;
import dev.weft.dht.QueryResult;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.SimNet;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** KadDht over real hosts (multistream, identify, ping, streams) on the in-memory transport, virtual time. */
class KadDhtHostSimTest {
  static final int HOSTS = 12;

  @Test
  void hostsBootstrapProvideFindAndPutGet() {
    try (SimNet net = new SimNet(77)) {
      ValidatorRegistry validators = ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey);
      DhtConfig config = DhtConfig.defaults().withLookup(new LookupConfig(20, 3, 2_000, 1));
      List<HostBuilder.Built> hosts = new ArrayList<>();
      List<KadDht> dhts = new ArrayList<>();
      for (int i = 0; i < HOSTS; i++) {
        HostBuilder.Built b = net.add(1000 + i);
        hosts.add(b);
        DhtConfig c = i == HOSTS - 1 ? config.withMode(DhtMode.CLIENT) : config;
        dhts.add(KadDht.install(b.host(), c, new MemoryDhtStore(), validators, b.ping(), true, () -> 1_767_225_600_000L + net.sim.nowMillis(), new Random(i)));
      }
      Multiaddr boot = Multiaddr.parse(hosts.get(0).host().listenAddresses().get(0) + "/p2p/" + hosts.get(0).host().peerId());
      List<CompletableFuture<QueryResult.ClosestPeers>> boots = new ArrayList<>();
      for (int i = 1; i < HOSTS; i++) boots.add(dhts.get(i).bootstrap(List.of(boot)));
      for (CompletableFuture<QueryResult.ClosestPeers> f : boots) net.await(f, 120_000);
      net.sim.runFor(2 * 60_000);
      // every server sees most servers; nobody has the client in its table
      for (int i = 0; i < HOSTS - 1; i++) {
        assertThat(dhts.get(i).node().routingTable().size()).as("table of %d", i).isGreaterThanOrEqualTo(HOSTS - 3);
        assertThat(dhts.get(i).node().routingTable().contains(hosts.get(HOSTS - 1).host().peerId())).isFalse();
      }

      byte[] mh = Multihash.sha256("checkpoint-7".getBytes()).bytes();
      var provided = net.await(dhts.get(3).node().provide(mh), 60_000);
      assertThat(provided.stored()).isGreaterThanOrEqualTo(HOSTS - 3);
      var found = net.await(dhts.get(HOSTS - 1).node().findProviders(mh, 1, false), 60_000);
      assertThat(found.providers()).extracting(p -> p.id()).containsExactly(hosts.get(3).host().peerId());
      assertThat(found.providers().get(0).addrs()).isNotEmpty();

      PubKey pk = hosts.get(5).host().privateKey().publicKey();
      byte[] key = Keys.pkKey(hosts.get(5).host().peerId());
      var put = net.await(dhts.get(5).node().putValue(key, pk.marshal()), 60_000);
      assertThat(put.stored()).isGreaterThanOrEqualTo(HOSTS - 3);
      var got = net.await(dhts.get(8).node().getValue(key, false), 60_000);
      assertThat(got.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(pk.marshal()));

      var peer = net.await(dhts.get(HOSTS - 1).node().findPeer(hosts.get(7).host().peerId()), 60_000);
      assertThat(peer.peer()).map(p -> p.id()).contains(hosts.get(7).host().peerId());
      assertThat(peer.peer().orElseThrow().addrs()).isNotEmpty();
      dhts.forEach(KadDht::close);
    }
  }

  @Test
  void streamFloodFromOnePeerIsCappedAndSilentStreamsTimeOut() {
    try (SimNet net = new SimNet(78)) {
      ValidatorRegistry validators = ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey);
      HostBuilder.Built server = net.add(2001);
      HostBuilder.Built flooder = net.add(2002);
      KadDht dht = KadDht.install(server.host(), DhtConfig.defaults(), new MemoryDhtStore(), validators, server.ping(), true, () -> 0L, new Random(1));
      flooder.host().peerStore().addAddresses(server.host().peerId(), server.host().listenAddresses(), 60_000);
      List<CompletableFuture<dev.weft.p2p.api.Stream>> streams = new ArrayList<>();
      for (int i = 0; i < KadDht.MAX_INBOUND_STREAMS_PER_PEER + 4; i++) {
        streams.add(flooder.host().newStream(server.host().peerId(), List.of(DhtConfig.WEFT_PROTOCOL)));
      }
      net.sim.runFor(1_000);
      long closed = streams.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().closeFuture().isDone()).count();
      assertThat(closed).as("streams reset beyond the per-peer cap").isEqualTo(4);
      // the others said nothing: the read timeout ends them
      net.sim.runFor(KadDht.INBOUND_READ_TIMEOUT_MILLIS + 1_000);
      long closedLater = streams.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().closeFuture().isDone()).count();
      assertThat(closedLater).isEqualTo(streams.size());
      dht.close();
    }
  }

  @Test
  void aPeerSendingGarbageIsBannedAndDisconnected() {
    try (SimNet net = new SimNet(79)) {
      ValidatorRegistry validators = ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey);
      HostBuilder.Built server = net.add(3001);
      HostBuilder.Built attacker = net.add(3002);
      KadDht dht = KadDht.install(server.host(), DhtConfig.defaults(), new MemoryDhtStore(), validators, server.ping(), true, () -> 0L, new Random(1));
      attacker.host().peerStore().addAddresses(server.host().peerId(), server.host().listenAddresses(), 60_000);
      for (int i = 0; i < 3; i++) {
        // a length prefix of 3, then bytes that are not a kad-dht message
        dev.weft.p2p.api.Stream s = net.await(attacker.host().newStream(server.host().peerId(), List.of(DhtConfig.WEFT_PROTOCOL)), 5_000);
        s.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        net.sim.runFor(500);
      }
      assertThat(dht.node().scores().isBanned(attacker.host().peerId(), net.sim.nowMillis())).isTrue();
      net.sim.runFor(1_000);
      assertThat(server.host().connections(attacker.host().peerId())).isEmpty();
      dht.close();
    }
  }
}
