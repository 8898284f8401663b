package dev.weft.dht.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.store.DhtStore;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One peer announces thousands of CIDs with 32 addresses each: the node keeps at most
 * {@code maxAddrsPerProvider} addresses of at most {@code maxAddrBytes} per record, grows by at
 * most the peer's provider quota, and still answers for an honest provider announced before the
 * flood. Through the request handler on both stores, and once over real loopback TCP. The full
 * 200,000-request run is the bench command {@code DhtFloodBench} (docs/dht.md).
 */
class ProviderFloodTest {
  static final int FLOOD = 3_000;

  @TempDir Path dir;
  final Random r = new Random(16);

  static byte[] cid(int i) {
    return Multihash.sha256(ByteBuffer.allocate(4).putInt(i).array()).bytes();
  }

  static DhtConfig unthrottled(DhtLimits limits) {
    return DhtConfig.defaults().withLimits(limits.withRequestRate(1e9, 1_000_000_000));
  }

  void flood(ServedNode n, PeerInfo flooder) {
    flood(n, flooder, FLOOD);
  }

  void flood(ServedNode n, PeerInfo flooder, int count) {
    for (int i = 0; i < count; i++) n.request(flooder, DhtMessage.addProvider(cid(1_000_000 + i), flooder));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void aFlooderGrowsTheProviderStoreByAtMostItsQuotaAndTheHonestProviderStays(String kind) {
    DhtLimits limits = DhtLimits.defaults();
    try (DhtStore store = ServedNode.open(kind, dir)) {
      ServedNode n = new ServedNode(unthrottled(limits), store);
      PeerInfo honest = TestPeers.peer(r);
      byte[] honestCid = cid(1);
      n.request(honest, DhtMessage.addProvider(honestCid, honest));
      long before = n.node.providerBook().accountedBytes();

      // addresses just under the length limit: kept, 16 of the 32, so each record is ~4 KB
      PeerInfo flooder = PeerInfo.of(TestPeers.peerId(r), ServedNode.fatAddrs(32, limits.maxAddrBytes(), 1));
      flood(n, flooder);

      assertThat(n.node.providerBook().usage(flooder.id()).bytes()).isLessThanOrEqualTo(limits.maxProviderBytesPerPeer());
      assertThat(n.node.providerBook().accountedBytes() - before).as("store growth").isLessThanOrEqualTo(limits.maxProviderBytesPerPeer());
      assertThat(n.node.providerBook().size()).isLessThan(FLOOD / 4);
      List<PeerInfo> kept = n.node.providerBook().get(cid(1_000_000 + FLOOD - 1), 20);
      assertThat(kept).singleElement().satisfies(p -> assertThat(p.addrs()).hasSize(limits.maxAddrsPerProvider()));
      assertThat(n.node.providerBook().get(cid(1_000_000), 20)).as("the flooder's oldest went first").isEmpty();
      DhtMessage answer = n.request(TestPeers.peer(r), DhtMessage.request(DhtMessage.Type.GET_PROVIDERS, honestCid)).orElseThrow();
      assertThat(answer.providerPeers()).extracting(PeerInfo::id).containsExactly(honest.id());
    }
  }

  @Test
  void addressesOverTheLengthLimitAreNotStored() {
    try (DhtStore store = ServedNode.open("memory", dir)) {
      ServedNode n = new ServedNode(DhtConfig.defaults(), store);
      List<byte[]> addrs = new java.util.ArrayList<>(ServedNode.fatAddrs(31, 1024, 2));
      addrs.add(TestPeers.addr(5));
      PeerInfo fat = PeerInfo.of(TestPeers.peerId(r), addrs);
      n.request(fat, DhtMessage.addProvider(cid(2), fat));
      assertThat(n.node.providerBook().get(cid(2), 20)).singleElement().satisfies(p -> assertThat(p.addrs()).containsExactly(TestPeers.addr(5)));
    }
  }

  @Test
  void withoutTheQuotasAndAddressLimitsTheSameFloodTakesFarMore() {
    DhtLimits d = DhtLimits.defaults();
    DhtLimits lifted = d.withProviderQuotas(d.maxProviderRecords(), 1024 * DhtLimits.MIB, (int) d.maxProviderRecords(), 1024 * DhtLimits.MIB, 100)
        .withProviderAddrs(DhtCodec.MAX_ADDRS_PER_PEER, 1024);
    try (DhtStore store = ServedNode.open("memory", dir)) {
      ServedNode n = new ServedNode(unthrottled(lifted), store);
      flood(n, PeerInfo.of(TestPeers.peerId(r), ServedNode.fatAddrs(32, 1024, 3)), 1_000);
      assertThat(n.node.providerBook().accountedBytes()).as("one peer's flood, unbounded by a quota").isGreaterThan(10 * d.maxProviderBytesPerPeer());
      assertThat(n.node.providerBook().size()).isEqualTo(1_000);
    }
  }

  @Test
  void overLoopbackTcpAFloodOfFatAnnouncementsStaysWithinTheQuota() throws Exception {
    DhtLimits limits = DhtLimits.defaults();
    int flood = 600;
    try (LoopbackDhts net = new LoopbackDhts()) {
      BasicHost victim = net.host(151);
      KadDht dht = net.dht(victim, DhtConfig.defaults());
      BasicHost honest = net.host(152);
      BasicHost flooder = net.host(153);
      LoopbackDhts.introduce(honest, victim);
      LoopbackDhts.introduce(flooder, victim);
      byte[] honestCid = cid(3);
      LoopbackDhts.request(honest, victim, DhtMessage.addProvider(honestCid, PeerInfo.of(honest.peerId(), List.of(TestPeers.addr(7)))), false);
      PeerInfo fat = PeerInfo.of(flooder.peerId(), ServedNode.fatAddrs(32, 1024, 4));
      for (int i = 0; i < flood; i++) LoopbackDhts.request(flooder, victim, DhtMessage.addProvider(cid(2_000_000 + i), fat), false);
      // one answered request after the flood: everything before it on the victim's scheduler has been handled
      Optional<DhtMessage> answer = LoopbackDhts.request(honest, victim, DhtMessage.request(DhtMessage.Type.GET_PROVIDERS, honestCid), true);

      assertThat(answer).hasValueSatisfying(a -> assertThat(a.providerPeers()).extracting(PeerInfo::id).containsExactly(honest.peerId()));
      long flooderBytes = LoopbackDhts.onDht(victim, () -> dht.node().providerBook().usage(flooder.peerId()).bytes());
      int flooderRecords = LoopbackDhts.onDht(victim, () -> dht.node().providerBook().usage(flooder.peerId()).entries());
      assertThat(flooderRecords).as("announcements that arrived").isPositive();
      assertThat(flooderBytes).isLessThanOrEqualTo(limits.maxProviderBytesPerPeer());
      List<PeerInfo> stored = LoopbackDhts.onDht(victim, () -> dht.node().providerBook().get(cid(2_000_000 + flood - 1), 20));
      assertThat(stored).allSatisfy(p -> assertThat(p.addrs()).as("1 KB addresses are over maxAddrBytes").isEmpty());
    }
  }
}
