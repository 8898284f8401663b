package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.ProviderRecord;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Provider records this node stores (kad-dht spec, "Content provider advertisement"), over a
 * {@link DhtStore}: keyed by multihash, expire {@code providerTtl} after the last announcement,
 * addresses served only for {@code providerAddrTtl} (then just the id, to avoid pointing at stale
 * addresses). Every record is within {@link DhtLimits}: at most {@code maxAddrsPerProvider}
 * addresses of at most {@code maxAddrBytes} each, and counted against its provider's quota and
 * the total ({@link QuotaLedger}); a full key gives up the provider of the least-trusted, heaviest
 * holder, if it holds more than the newcomer would. Our own provider records count against no
 * quota and are never evicted. Not thread-safe: DHT scheduler.
 */
public final class ProviderBook {
  private final DhtStore store;
  private final WallClock wall;
  private final DhtConfig config;
  private final PeerId self;
  private final Predicate<PeerId> trusted;
  private final QuotaLedger ledger;

  /** A book for tests: no own id, trusting nobody in particular. */
  public ProviderBook(DhtStore store, WallClock wall, DhtConfig config) {
    this(store, wall, config, null, p -> false);
  }

  /**
   * Opens the book over {@code store}, rebuilding the quota ledger from what it holds (oldest first).
   *
   * @param self our id: our own provider records are not counted or evicted (null: none are ours)
   * @param trusted peers verified by contact and not misbehaving: evicted last
   */
  public ProviderBook(DhtStore store, WallClock wall, DhtConfig config, PeerId self, Predicate<PeerId> trusted) {
    this.store = store;
    this.wall = wall;
    this.config = config;
    this.self = self;
    this.trusted = trusted;
    DhtLimits l = config.limits();
    this.ledger = new QuotaLedger(l.maxProviderRecords(), l.maxProviderBytes(), l.maxProviderRecordsPerPeer(), l.maxProviderBytesPerPeer());
    List<Object[]> held = new ArrayList<>();
    store.forEachProvider((k, p) -> {
      if (!p.provider().equals(self)) held.add(new Object[] {k, p});
    });
    held.sort(Comparator.comparingLong(o -> ((ProviderRecord) o[1]).receivedAtEpochMillis()));
    for (Object[] o : held) {
      ProviderRecord p = (ProviderRecord) o[1];
      ledger.add(p.provider(), (byte[]) o[0], cost((byte[]) o[0], p.provider(), p.addrs()));
    }
  }

  static long cost(byte[] key, PeerId provider, List<byte[]> addrs) {
    long n = (long) key.length + provider.bytes().length + QuotaLedger.ENTRY_OVERHEAD_BYTES;
    for (byte[] a : addrs) n += a.length;
    return n;
  }

  /** The addresses a provider record keeps: the first {@code maxAddrsPerProvider} within {@code maxAddrBytes}. */
  List<byte[]> keptAddrs(List<byte[]> addrs) {
    DhtLimits l = config.limits();
    List<byte[]> out = new ArrayList<>(Math.min(addrs.size(), l.maxAddrsPerProvider()));
    for (byte[] a : addrs) {
      if (out.size() == l.maxAddrsPerProvider()) break;
      if (a.length <= l.maxAddrBytes()) out.add(a);
    }
    return out;
  }

  /** Records {@code provider} for {@code key}; returns false if a limit refused it. */
  public boolean add(byte[] key, PeerInfo provider) {
    List<byte[]> addrs = keptAddrs(provider.addrs());
    PeerId id = provider.id();
    boolean own = id.equals(self);
    List<ProviderRecord> existing = store.providers(key, config.limits().maxProvidersPerKey() + 1);
    boolean known = existing.stream().anyMatch(p -> p.provider().equals(id));
    long cost = cost(key, id, addrs);
    if (!known && existing.size() >= config.limits().maxProvidersPerKey()) {
      ProviderRecord victim = keyVictim(existing, own ? -1 : ledger.usage(id).bytes() + cost);
      if (victim == null) return false;
      delete(key, victim.provider());
    }
    if (!own) {
      QuotaLedger.Admission a = ledger.admit(id, key, cost, trusted);
      List<QuotaLedger.Eviction> evicted = switch (a) {
        case QuotaLedger.Admission.Admitted ad -> ad.evictions();
        case QuotaLedger.Admission.Refused r -> r.evictions();
      };
      for (QuotaLedger.Eviction e : evicted) store.deleteProvider(e.id(), e.holder());
      if (a instanceof QuotaLedger.Admission.Refused) return false;
      ledger.add(id, key, cost);
    }
    store.putProvider(key, new ProviderRecord(id, addrs, wall.epochMillis()));
    return true;
  }

  /** The provider of a full key to give up: least trusted, then heaviest, and heavier than {@code thanBytes}. */
  private ProviderRecord keyVictim(List<ProviderRecord> existing, long thanBytes) {
    ProviderRecord best = null;
    long bestBytes = 0;
    boolean bestTrusted = true;
    for (ProviderRecord p : existing) {
      if (p.provider().equals(self)) continue;
      long b = ledger.usage(p.provider()).bytes();
      if (b <= thanBytes) continue;
      boolean t = trusted.test(p.provider());
      if (best == null || (bestTrusted && !t) || (t == bestTrusted && b > bestBytes)) {
        best = p;
        bestBytes = b;
        bestTrusted = t;
      }
    }
    return best;
  }

  private void delete(byte[] key, PeerId provider) {
    if (!provider.equals(self)) ledger.remove(provider, key);
    store.deleteProvider(key, provider);
  }

  /** Live providers of {@code key}, at most {@code limit}, addresses stripped once stale. */
  public List<PeerInfo> get(byte[] key, int limit) {
    long now = wall.epochMillis();
    List<PeerInfo> out = new ArrayList<>();
    for (ProviderRecord p : store.providers(key, config.limits().maxProvidersPerKey())) {
      long age = now - p.receivedAtEpochMillis();
      if (age > config.providerTtlMillis()) {
        delete(key, p.provider());
        continue;
      }
      if (out.size() < limit) out.add(PeerInfo.of(p.provider(), age > config.providerAddrTtlMillis() ? List.of() : p.addrs()));
    }
    return out;
  }

  public boolean has(byte[] key, PeerId provider) {
    return get(key, config.limits().maxProvidersPerKey()).stream().anyMatch(p -> p.id().equals(provider));
  }

  /** Drops expired provider records; returns how many. */
  public int sweep() {
    long now = wall.epochMillis();
    List<Object[]> dead = new ArrayList<>();
    store.forEachProvider((k, p) -> {
      if (now - p.receivedAtEpochMillis() > config.providerTtlMillis()) dead.add(new Object[] {k, p.provider()});
    });
    for (Object[] d : dead) delete((byte[]) d[0], (PeerId) d[1]);
    return dead.size();
  }

  public long size() {
    return store.providerCount();
  }

  /** What {@code peer} has stored with us as a provider. */
  public QuotaLedger.Usage usage(PeerId peer) {
    return ledger.usage(peer);
  }

  /** Accounted bytes of every provider record stored for others. */
  public long accountedBytes() {
    return ledger.totalBytes();
  }
}
