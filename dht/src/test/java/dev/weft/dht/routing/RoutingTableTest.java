package dev.weft.dht.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestPeers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  final Random r = new Random(11);
  final PeerInfo self = TestPeers.peer(r);

  @Test
  void peersLandInTheBucketOfTheirCommonPrefixLength() {
    RoutingTable t = new RoutingTable(self.kadKey(), 20, 0);
    for (PeerInfo p : TestPeers.peers(r, 300)) {
      t.add(p, 0);
      int cpl = self.kadKey().commonPrefixLength(p.kadKey());
      if (t.contains(p.id())) assertThat(t.bucket(cpl)).contains(p);
    }
    for (int i = 0; i < KadKey.BITS; i++) {
      for (PeerInfo p : t.bucket(i)) assertThat(self.kadKey().commonPrefixLength(p.kadKey())).isEqualTo(i);
      assertThat(t.bucket(i).size()).isLessThanOrEqualTo(20);
    }
    // about half of random peers share no prefix bit: bucket 0 must be full
    assertThat(t.bucket(0)).hasSize(20);
  }

  @Test
  void selfIsNeverStored() {
    RoutingTable t = new RoutingTable(self.kadKey(), 20, 0);
    assertThat(t.add(self, 0)).isInstanceOf(RoutingTable.AddResult.Self.class);
    assertThat(t.size()).isZero();
  }

  @Test
  void fullBucketNamesLeastRecentlySeenAndKeepsTheNewcomerAsReplacement() {
    RoutingTable t = new RoutingTable(self.kadKey(), 2, 0);
    List<PeerInfo> bucket0 = new ArrayList<>();
    while (bucket0.size() < 4) {
      PeerInfo p = TestPeers.peer(r);
      if (self.kadKey().commonPrefixLength(p.kadKey()) == 0) bucket0.add(p);
    }
    assertThat(t.add(bucket0.get(0), 1)).isInstanceOf(RoutingTable.AddResult.Inserted.class);
    assertThat(t.add(bucket0.get(1), 2)).isInstanceOf(RoutingTable.AddResult.Inserted.class);
    // seeing peer 0 again makes peer 1 the least recently seen
    assertThat(t.add(bucket0.get(0), 3)).isInstanceOf(RoutingTable.AddResult.Refreshed.class);
    RoutingTable.AddResult full = t.add(bucket0.get(2), 4);
    assertThat(full).isEqualTo(new RoutingTable.AddResult.BucketFull(bucket0.get(1)));
    assertThat(t.contains(bucket0.get(2).id())).isFalse();
    assertThat(t.replacements(0)).containsExactly(bucket0.get(2));
    // the resident fails its liveness check: the replacement takes its place
    t.remove(bucket0.get(1).id());
    assertThat(t.bucket(0)).containsExactlyInAnyOrder(bucket0.get(0), bucket0.get(2));
    assertThat(t.replacements(0)).isEmpty();
  }

  @Test
  void repeatedFailuresEvict() {
    RoutingTable t = new RoutingTable(self.kadKey(), 20, 0);
    PeerInfo p = TestPeers.peer(r);
    t.add(p, 0);
    assertThat(t.recordFailure(p.id())).isFalse();
    t.add(p, 1); // an answer resets the count
    assertThat(t.recordFailure(p.id())).isFalse();
    assertThat(t.recordFailure(p.id())).isTrue();
    assertThat(t.contains(p.id())).isFalse();
  }

  @Test
  void closestMatchesBruteForce() {
    RoutingTable t = new RoutingTable(self.kadKey(), 20, 0);
    for (PeerInfo p : TestPeers.peers(r, 400)) t.add(p, 0);
    List<PeerInfo> all = t.entries().stream().map(RoutingTable.Entry::peer).toList();
    for (int i = 0; i < 100; i++) {
      byte[] key = new byte[8];
      r.nextBytes(key);
      KadKey target = i % 10 == 0 ? t.bucket(0).get(0).kadKey() : KadKey.ofKey(key);
      List<PeerInfo> expected = new ArrayList<>(all);
      expected.sort(Comparator.comparing(PeerInfo::kadKey, target::compareDistance));
      assertThat(t.closest(target, 20)).containsExactlyElementsOf(expected.subList(0, 20));
    }
  }

  @Test
  void staleBucketsAreThoseNoLookupTouched() {
    RoutingTable t = new RoutingTable(self.kadKey(), 20, 0);
    for (PeerInfo p : TestPeers.peers(r, 100)) t.add(p, 0);
    assertThat(t.staleBuckets(5, 10, 15)).isEmpty();
    List<Integer> stale = t.staleBuckets(10, 10, 15);
    assertThat(stale).isNotEmpty().contains(0, 1);
    t.markRefreshed(0, 10);
    assertThat(t.staleBuckets(10, 10, 15)).doesNotContain(0).contains(1);
  }
}
