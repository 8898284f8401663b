package dev.weft.dht;

import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.ProviderRecord;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * Provider records this node stores (kad-dht spec, "Content provider advertisement"), over a
 * {@link DhtStore}: keyed by multihash, expire {@code providerTtl} after the last announcement,
 * addresses served only for {@code providerAddrTtl} (then just the id, to avoid pointing at stale
 * addresses). Not thread-safe: DHT scheduler.
 */
public final class ProviderBook {
  private final DhtStore store;
  private final WallClock wall;
  private final DhtConfig config;

  public ProviderBook(DhtStore store, WallClock wall, DhtConfig config) {
    this.store = store;
    this.wall = wall;
    this.config = config;
  }

  /** Records {@code provider} for {@code key}; returns false if a limit refused it. */
  public boolean add(byte[] key, PeerInfo provider) {
    List<ProviderRecord> existing = store.providers(key, config.maxProvidersPerKey() + 1);
    boolean known = existing.stream().anyMatch(p -> p.provider().equals(provider.id()));
    if (!known && (existing.size() >= config.maxProvidersPerKey() || store.providerCount() >= config.maxProviderRecords())) return false;
    store.putProvider(key, new ProviderRecord(provider.id(), provider.addrs(), wall.epochMillis()));
    return true;
  }

  /** Live providers of {@code key}, at most {@code limit}, addresses stripped once stale. */
  public List<PeerInfo> get(byte[] key, int limit) {
    long now = wall.epochMillis();
    List<PeerInfo> out = new ArrayList<>();
    for (ProviderRecord p : store.providers(key, config.maxProvidersPerKey())) {
      long age = now - p.receivedAtEpochMillis();
      if (age > config.providerTtlMillis()) {
        store.deleteProvider(key, p.provider());
        continue;
      }
      if (out.size() < limit) out.add(PeerInfo.of(p.provider(), age > config.providerAddrTtlMillis() ? List.of() : p.addrs()));
    }
    return out;
  }

  public boolean has(byte[] key, PeerId provider) {
    return get(key, config.maxProvidersPerKey()).stream().anyMatch(p -> p.id().equals(provider));
  }

  /** Drops expired provider records; returns how many. */
  public int sweep() {
    long now = wall.epochMillis();
    List<Object[]> dead = new ArrayList<>();
    store.forEachProvider((k, p) -> {
      if (now - p.receivedAtEpochMillis() > config.providerTtlMillis()) dead.add(new Object[] {k, p.provider()});
    });
    for (Object[] d : dead) store.deleteProvider((byte[]) d[0], (PeerId) d[1]);
    return dead.size();
  }

  public long size() {
    return store.providerCount();
  }
}
