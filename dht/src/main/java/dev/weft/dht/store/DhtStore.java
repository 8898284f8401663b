package dev.weft.dht.store;

import dev.weft.p2p.api.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where a DHT node keeps its records, provider records and routing-table peers. Implementations:
 * {@link MemoryDhtStore} (simulations, tests) and {@link RocksDhtStore} (survives restarts).
 * Called from the DHT's scheduler thread only (RocksDB calls block briefly; a future version may
 * move them to a pool). Failures of the underlying storage throw {@link DhtStoreException}.
 */
public interface DhtStore extends AutoCloseable {
  void putRecord(byte[] key, StoredRecord record);

  Optional<StoredRecord> getRecord(byte[] key);

  void deleteRecord(byte[] key);

  /** Visits every record; the visitor must not modify the store. */
  void forEachRecord(BiConsumer<byte[], StoredRecord> visitor);

  long recordCount();

  void putProvider(byte[] key, ProviderRecord provider);

  /** Providers of {@code key}, in a stable order, at most {@code limit}. */
  List<ProviderRecord> providers(byte[] key, int limit);

  void deleteProvider(byte[] key, PeerId provider);

  /** Visits every provider record; the visitor must not modify the store. */
  void forEachProvider(BiConsumer<byte[], ProviderRecord> visitor);

  long providerCount();

  void putPeer(StoredPeer peer);

  void deletePeer(PeerId peer);

  List<StoredPeer> peers();

  /** Flushes and releases everything; idempotent. */
  @Override void close();
}
