package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBookTest {
  long now = 1_767_225_600_000L;
  final Random r = new Random(17);
  final PrivKey author = TestEd25519.generate(r);
  final byte[] key = Keys.runKey(PeerId.fromPublicKey(author.publicKey()), "run");
  final DhtConfig config = DhtConfig.defaults();
  final MemoryDhtStore store = new MemoryDhtStore();
  final RecordBook book = new RecordBook(store, ValidatorRegistry.standard(TestEd25519::decode), () -> now, config);

  byte[] value(long seq, long expires) {
    return SignedRecords.sign(author, key, new byte[] {(byte) seq}, seq, expires);
  }

  @Test
  void newerValueReplacesOlderButNotTheOtherWayRound() throws Exception {
    byte[] v1 = value(1, now + 60_000);
    byte[] v2 = value(2, now + 60_000);
    assertThat(book.put(key, v2, false)).isEqualTo(RecordBook.PutOutcome.STORED);
    assertThat(book.put(key, v1, false)).isEqualTo(RecordBook.PutOutcome.KEPT_BETTER);
    assertThat(book.get(key).orElseThrow().value()).isEqualTo(v2);
  }

  @Test
  void expiredValuesAreDroppedOnReadAndBySweep() throws Exception {
    book.put(key, value(1, now + 1_000), false);
    now += 1_000;
    assertThat(book.get(key)).isEmpty();
    assertThat(store.recordCount()).isZero();
    book.put(key, value(2, now + 1_000), false);
    now += 2_000;
    assertThat(book.sweep()).isEqualTo(1);
    assertThat(store.recordCount()).isZero();
  }

  @Test
  void othersRecordsAgeOutOwnDoNot() throws Exception {
    book.put(key, value(1, now + 100 * DhtConfig.HOUR), false);
    now += config.recordTtlMillis() + 1;
    assertThat(book.get(key)).isEmpty();
    book.put(key, value(2, now + 100 * DhtConfig.HOUR), true);
    now += config.recordTtlMillis() + 1;
    assertThat(book.get(key)).isPresent();
    assertThat(book.ownRecords()).hasSize(1);
  }

  @Test
  void invalidValuesAreRefused() {
    assertThatThrownBy(() -> book.put(key, new byte[] {1, 2, 3}, false)).isInstanceOf(InvalidRecordException.class);
    assertThat(store.recordCount()).isZero();
  }

  @Test
  void aFullStoreRefusesNewcomersNoHeavierThanItsHoldersButTakesReplacements() throws Exception {
    DhtConfig tiny = config.withLimits(config.limits().withRecordQuotas(1, DhtLimits.MIB, 1, DhtLimits.MIB));
    RecordBook small = new RecordBook(store, ValidatorRegistry.standard(TestEd25519::decode), () -> now, tiny);
    PeerId a = TestPeers.peerId(r);
    PeerId b = TestPeers.peerId(r);
    assertThat(small.putFrom(a, key, value(1, now + 60_000))).isEqualTo(RecordBook.PutOutcome.STORED);
    byte[] other = Keys.runKey(PeerId.fromPublicKey(author.publicKey()), "other");
    assertThat(small.putFrom(b, other, SignedRecords.sign(author, other, new byte[1], 1, now + 60_000))).isEqualTo(RecordBook.PutOutcome.FULL);
    assertThat(small.putFrom(b, key, value(2, now + 60_000))).isEqualTo(RecordBook.PutOutcome.STORED);
    assertThat(small.get(key).orElseThrow().value()).isEqualTo(value(2, now + 60_000));
    assertThat(small.usage(a).entries()).as("the first storer keeps paying for a record another peer improved").isEqualTo(1);
    assertThat(small.usage(b).entries()).isZero();
  }

  @Test
  void providersExpireAndLoseAddressesAfterTheirTtl() {
    ProviderBook providers = new ProviderBook(store, () -> now, config);
    PeerInfo p = TestPeers.peer(r);
    byte[] mh = dev.weft.p2p.multiformats.Multihash.sha256(new byte[] {1}).bytes();
    providers.add(mh, p);
    assertThat(providers.get(mh, 20)).singleElement().satisfies(x -> assertThat(x.addrs()).hasSize(1));
    now += config.providerAddrTtlMillis() + 1;
    assertThat(providers.get(mh, 20)).singleElement().satisfies(x -> assertThat(x.addrs()).isEmpty());
    now += config.providerTtlMillis();
    assertThat(providers.get(mh, 20)).isEmpty();
    assertThat(providers.size()).isZero();
    assertThat(List.of()).isEmpty();
  }
}
