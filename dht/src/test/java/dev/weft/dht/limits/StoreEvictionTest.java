package dev.weft.dht.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.ProviderBook;
import dev.weft.dht.RecordBook;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.TestPeers;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.store.DhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which entries go when a store is full, on both stores: a peer over its quota loses its own
 * oldest; over the total, the least-trusted heaviest holder loses its oldest, never a lighter
 * holder; trusted holders go last; the quota ledger survives a restart; a record re-stored by
 * another peer stays paid for by its first storer.
 */
class StoreEvictionTest {
  @TempDir Path dir;
  final Random r = new Random(19);
  long now = dev.weft.dht.sim.SimKadNetwork.EPOCH_ORIGIN;
  final long expires = now + 24 * DhtConfig.HOUR;

  record Author(PrivKey key, PeerId id) {
    byte[] runKey(String name) {
      return Keys.runKey(id, name);
    }

    byte[] value(byte[] key, int size) {
      return SignedRecords.sign(key(), key, new byte[size], 1, Long.MAX_VALUE / 2);
    }
  }

  Author author() {
    PrivKey k = TestEd25519.generate(r);
    return new Author(k, PeerId.fromPublicKey(k.publicKey()));
  }

  /** A config whose record store holds {@code total} records, {@code perPeer} per peer. */
  static DhtConfig records(int total, int perPeer) {
    return DhtConfig.defaults().withLimits(DhtLimits.defaults().withRecordQuotas(total, 64 * DhtLimits.MIB, perPeer, DhtLimits.MIB));
  }

  RecordBook book(DhtStore s, DhtConfig c, Set<PeerId> trusted) {
    return new RecordBook(s, ServedNode.VALIDATORS, () -> now, c, trusted::contains);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void overItsQuotaAPeerLosesItsOwnOldest(String kind) throws Exception {
    try (DhtStore s = ServedNode.open(kind, dir)) {
      RecordBook b = book(s, records(100, 3), Set.of());
      Author a = author();
      Author other = author();
      b.putFrom(other.id(), other.runKey("x"), other.value(other.runKey("x"), 10));
      for (int i = 0; i < 5; i++) {
        now++;
        assertThat(b.putFrom(a.id(), a.runKey("r" + i), a.value(a.runKey("r" + i), 10))).isEqualTo(RecordBook.PutOutcome.STORED);
      }
      assertThat(b.get(a.runKey("r0"))).isEmpty();
      assertThat(b.get(a.runKey("r1"))).isEmpty();
      assertThat(b.get(a.runKey("r4"))).isPresent();
      assertThat(b.usage(a.id()).entries()).isEqualTo(3);
      assertThat(b.get(other.runKey("x"))).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void overTheTotalTheHeaviestUntrustedHolderGivesWayAndLighterOnesNever(String kind) throws Exception {
    try (DhtStore s = ServedNode.open(kind, dir)) {
      Author trustedHeavy = author();
      RecordBook b = book(s, records(6, 3), Set.of(trustedHeavy.id()));
      Author light = author();
      Author heavy = author();
      b.putFrom(light.id(), light.runKey("l"), light.value(light.runKey("l"), 10));
      for (int i = 0; i < 2; i++) b.putFrom(trustedHeavy.id(), trustedHeavy.runKey("t" + i), trustedHeavy.value(trustedHeavy.runKey("t" + i), 1000));
      for (int i = 0; i < 3; i++) b.putFrom(heavy.id(), heavy.runKey("h" + i), heavy.value(heavy.runKey("h" + i), 300));
      assertThat(b.size()).isEqualTo(6);
      Author newcomer = author();
      // the store is full: the untrusted heavy holder gives up its oldest, not the heavier trusted one, not the light one
      assertThat(b.putFrom(newcomer.id(), newcomer.runKey("n0"), newcomer.value(newcomer.runKey("n0"), 10))).isEqualTo(RecordBook.PutOutcome.STORED);
      assertThat(b.get(heavy.runKey("h0"))).isEmpty();
      assertThat(b.get(heavy.runKey("h1"))).isPresent();
      assertThat(b.get(trustedHeavy.runKey("t0"))).isPresent();
      b.putFrom(newcomer.id(), newcomer.runKey("n1"), newcomer.value(newcomer.runKey("n1"), 10));
      assertThat(b.get(heavy.runKey("h1"))).isEmpty();
      // the untrusted holder is no longer heavier than the newcomer would be: the trusted one gives way
      b.putFrom(newcomer.id(), newcomer.runKey("n2"), newcomer.value(newcomer.runKey("n2"), 10));
      assertThat(b.get(heavy.runKey("h2"))).isPresent();
      assertThat(b.get(trustedHeavy.runKey("t0"))).isEmpty();
      assertThat(b.get(trustedHeavy.runKey("t1"))).isPresent();
      Author late = author();
      for (int i = 0; i < 10; i++) b.putFrom(late.id(), late.runKey("z" + i), late.value(late.runKey("z" + i), 10));
      assertThat(b.get(light.runKey("l"))).as("the lightest holder keeps its record throughout").isPresent();
      assertThat(b.size()).isEqualTo(6);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void reStoringAnotherPeersRecordDoesNotMakeItYoursToEvict(String kind) throws Exception {
    try (DhtStore s = ServedNode.open(kind, dir)) {
      RecordBook b = book(s, records(100, 4), Set.of());
      Author honest = author();
      byte[] hk = honest.runKey("manifest");
      byte[] hv = honest.value(hk, 50);
      b.putFrom(honest.id(), hk, hv);
      Author flooder = author();
      b.putFrom(flooder.id(), hk, hv);
      for (int i = 0; i < 20; i++) b.putFrom(flooder.id(), flooder.runKey("s" + i), flooder.value(flooder.runKey("s" + i), 50));
      assertThat(b.get(hk)).isPresent();
      assertThat(b.usage(honest.id()).entries()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void theLedgerIsRebuiltFromTheStoreOnReopen(String kind) throws Exception {
    DhtConfig c = records(100, 3);
    Author a = author();
    DhtStore s = ServedNode.open(kind, dir);
    try {
      RecordBook b = book(s, c, Set.of());
      for (int i = 0; i < 3; i++) {
        now++;
        b.putFrom(a.id(), a.runKey("r" + i), a.value(a.runKey("r" + i), 10));
      }
      if (kind.equals("rocks")) {
        s.close();
        s = ServedNode.open(kind, dir);
      }
      RecordBook again = book(s, c, Set.of());
      assertThat(again.usage(a.id()).entries()).isEqualTo(3);
      now++;
      again.putFrom(a.id(), a.runKey("r3"), a.value(a.runKey("r3"), 10));
      assertThat(again.get(a.runKey("r0"))).as("still the oldest after a restart").isEmpty();
      assertThat(again.usage(a.id()).entries()).isEqualTo(3);
    } finally {
      s.close();
    }
  }

  static byte[] cid(int i) {
    return Multihash.sha256(ByteBuffer.allocate(4).putInt(i).array()).bytes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void aFullKeyGivesAFatProvidersSlotToALighterOneButNotToAnEqualOne(String kind) throws Exception {
    try (DhtStore s = ServedNode.open(kind, dir)) {
      DhtConfig c = DhtConfig.defaults().withLimits(DhtLimits.defaults().withProviderQuotas(1_000_000, 128 * DhtLimits.MIB, 8192, 2 * DhtLimits.MIB, 3));
      ProviderBook b = new ProviderBook(s, () -> now, c, null, p -> false);
      byte[] key = cid(1);
      PeerInfo fat = PeerInfo.of(TestPeers.peerId(r), ServedNode.fatAddrs(16, 256, 1));
      PeerInfo thin1 = TestPeers.peer(r);
      PeerInfo thin2 = TestPeers.peer(r);
      assertThat(b.add(key, fat)).isTrue();
      assertThat(b.add(key, thin1)).isTrue();
      assertThat(b.add(key, thin2)).isTrue();
      PeerInfo thin3 = TestPeers.peer(r);
      assertThat(b.add(key, thin3)).as("the fat record gives way").isTrue();
      assertThat(b.get(key, 10)).extracting(PeerInfo::id).containsExactlyInAnyOrder(thin1.id(), thin2.id(), thin3.id());
      assertThat(b.add(key, TestPeers.peer(r))).as("no holder is heavier than this newcomer").isFalse();
      assertThat(b.get(key, 10)).extracting(PeerInfo::id).containsExactlyInAnyOrder(thin1.id(), thin2.id(), thin3.id());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocks"})
  void ownProviderRecordsAreNeverEvictedAndCountAgainstNoQuota(String kind) throws Exception {
    try (DhtStore s = ServedNode.open(kind, dir)) {
      PeerInfo self = TestPeers.peer(r);
      DhtConfig c = DhtConfig.defaults().withLimits(DhtLimits.defaults().withProviderQuotas(1_000_000, 128 * DhtLimits.MIB, 8192, 2 * DhtLimits.MIB, 2));
      ProviderBook b = new ProviderBook(s, () -> now, c, self.id(), p -> false);
      byte[] key = cid(2);
      b.add(key, TestPeers.peer(r));
      b.add(key, PeerInfo.of(TestPeers.peerId(r), ServedNode.fatAddrs(4, 200, 2)));
      assertThat(b.add(key, self)).as("our own record takes the heaviest holder's slot").isTrue();
      assertThat(b.usage(self.id()).entries()).isZero();
      for (int i = 0; i < 5; i++) b.add(key, TestPeers.peer(r));
      assertThat(b.get(key, 10)).extracting(PeerInfo::id).contains(self.id());
      assertThat(List.of(b.accountedBytes())).isNotEmpty();
    }
  }
}
