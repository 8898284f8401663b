package dev.weft.dht.store;

import dev.weft.p2p.api.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A {@link DhtStore} in memory: for simulations and tests; lost on close. Not thread-safe. */
public final class MemoryDhtStore implements DhtStore {
  private final Map<ByteBuffer, StoredRecord> records = new LinkedHashMap<>();
  private final Map<ByteBuffer, TreeMap<PeerId, ProviderRecord>> providers = new HashMap<>();
  private final Map<PeerId, StoredPeer> peers = new LinkedHashMap<>();
  private long providerCount;

  private static ByteBuffer k(byte[] key) {
    return ByteBuffer.wrap(key.clone());
  }

  @Override public void putRecord(byte[] key, StoredRecord record) {
    records.put(k(key), record);
  }

  @Override public Optional<StoredRecord> getRecord(byte[] key) {
    return Optional.ofNullable(records.get(ByteBuffer.wrap(key)));
  }

  @Override public void deleteRecord(byte[] key) {
    records.remove(ByteBuffer.wrap(key));
  }

  @Override public void forEachRecord(BiConsumer<byte[], StoredRecord> visitor) {
    for (Map.Entry<ByteBuffer, StoredRecord> e : List.copyOf(records.entrySet())) visitor.accept(e.getKey().array().clone(), e.getValue());
  }

  @Override public long recordCount() {
    return records.size();
  }

  @Override public void putProvider(byte[] key, ProviderRecord provider) {
    if (providers.computeIfAbsent(k(key), x -> new TreeMap<>()).put(provider.provider(), provider) == null) providerCount++;
  }

  @Override public List<ProviderRecord> providers(byte[] key, int limit) {
    TreeMap<PeerId, ProviderRecord> m = providers.get(ByteBuffer.wrap(key));
    if (m == null) return List.of();
    List<ProviderRecord> out = new ArrayList<>();
    for (ProviderRecord p : m.values()) {
      if (out.size() == limit) break;
      out.add(p);
    }
    return out;
  }

  @Override public void deleteProvider(byte[] key, PeerId provider) {
    TreeMap<PeerId, ProviderRecord> m = providers.get(ByteBuffer.wrap(key));
    if (m != null && m.remove(provider) != null) {
      providerCount--;
      if (m.isEmpty()) providers.remove(ByteBuffer.wrap(key));
    }
  }

  @Override public void forEachProvider(BiConsumer<byte[], ProviderRecord> visitor) {
    for (Map.Entry<ByteBuffer, TreeMap<PeerId, ProviderRecord>> e : List.copyOf(providers.entrySet())) {
      for (ProviderRecord p : List.copyOf(e.getValue().values())) visitor.accept(e.getKey().array().clone(), p);
    }
  }

  @Override public long providerCount() {
    return providerCount;
  }

  @Override public void putPeer(StoredPeer peer) {
    peers.put(peer.peer(), peer);
  }

  @Override public void deletePeer(PeerId peer) {
    peers.remove(peer);
  }

  @Override public List<StoredPeer> peers() {
    return List.copyOf(peers.values());
  }

  @Override public void close() {}
}
