package dev.weft.p2p.host;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link PeerStore} in memory. Addresses expire after their TTL on the given {@link Clock}
 * (virtual time in simulations); protocols and keys stay until {@link #remove}. Bounded: at most
 * {@link #MAX_ADDRESSES_PER_PEER} addresses and {@link #MAX_PROTOCOLS_PER_PEER} protocols per
 * peer, at most {@code maxPeers} peers (the peer with the oldest update is evicted first).
 *
 * <p>Thread-safe (one monitor; every operation is short).
 */
public final class InMemoryPeerStore implements PeerStore {
  /** A peer advertising more addresses than this is truncated: identify lists are usually < 10. */
  public static final int MAX_ADDRESSES_PER_PEER = 64;
  /** Same bound for protocols; real peers advertise a few dozen at most. */
  public static final int MAX_PROTOCOLS_PER_PEER = 256;
  /** Default bound on the number of peers kept. */
  public static final int DEFAULT_MAX_PEERS = 10_000;
  /** TTL for addresses we learnt from a peer we are connected to (identify). */
  public static final long CONNECTED_ADDRESS_TTL_MILLIS = PeerStore.CONNECTED_ADDRESS_TTL_MILLIS;
  /** TTL for addresses given by the user (dial); long, but not forever. */
  public static final long PERMANENT_ADDRESS_TTL_MILLIS = PeerStore.PERMANENT_ADDRESS_TTL_MILLIS;

  private static final class Entry {
    final LinkedHashMap<Multiaddr, Long> addresses = new LinkedHashMap<>(); // address -> expiry
    Set<String> protocols = Set.of();
    PubKey key;
    long touched;
  }

  private final Clock clock;
  private final int maxPeers;
  private final Map<PeerId, Entry> entries = new HashMap<>();

  public InMemoryPeerStore(Clock clock) {
    this(clock, DEFAULT_MAX_PEERS);
  }

  public InMemoryPeerStore(Clock clock, int maxPeers) {
    if (maxPeers <= 0) throw new IllegalArgumentException("maxPeers must be positive: " + maxPeers);
    this.clock = clock;
    this.maxPeers = maxPeers;
  }

  @Override public synchronized void addAddresses(PeerId peer, List<Multiaddr> addresses, long ttlMillis) {
    if (ttlMillis <= 0 || addresses.isEmpty()) return;
    Entry e = entry(peer);
    long now = clock.nowMillis();
    long expiry = ttlMillis >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttlMillis;
    for (Multiaddr a : addresses) {
      Long old = e.addresses.get(a);
      if (old == null && e.addresses.size() >= MAX_ADDRESSES_PER_PEER) {
        expire(e, now);
        if (e.addresses.size() >= MAX_ADDRESSES_PER_PEER) continue;
      }
      e.addresses.put(a, old == null ? expiry : Math.max(old, expiry));
    }
  }

  /** Replaces the addresses of {@code peer} (identify: the peer's own, current list). */
  @Override public synchronized void setAddresses(PeerId peer, List<Multiaddr> addresses, long ttlMillis) {
    Entry e = entries.get(peer);
    if (e != null) e.addresses.clear();
    addAddresses(peer, addresses, ttlMillis);
  }

  @Override public synchronized List<Multiaddr> addresses(PeerId peer) {
    Entry e = entries.get(peer);
    if (e == null) return List.of();
    expire(e, clock.nowMillis());
    return List.copyOf(e.addresses.keySet());
  }

  @Override public synchronized void setProtocols(PeerId peer, Set<String> protocols) {
    TreeSet<String> kept = new TreeSet<>();
    for (String p : protocols) {
      if (kept.size() >= MAX_PROTOCOLS_PER_PEER) break;
      kept.add(p);
    }
    entry(peer).protocols = Set.copyOf(kept);
  }

  @Override public synchronized Set<String> protocols(PeerId peer) {
    Entry e = entries.get(peer);
    return e == null ? Set.of() : e.protocols;
  }

  /** Sets the key; throws {@link IllegalArgumentException} unless the key hashes to {@code peer}. */
  @Override public synchronized void setPublicKey(PeerId peer, PubKey key) {
    if (!PeerId.fromPublicKey(key).equals(peer)) {
      throw new IllegalArgumentException("public key does not belong to " + peer);
    }
    entry(peer).key = key;
  }

  @Override public synchronized Optional<PubKey> publicKey(PeerId peer) {
    Entry e = entries.get(peer);
    return e == null ? Optional.empty() : Optional.ofNullable(e.key);
  }

  @Override public synchronized Set<PeerId> peers() {
    return Set.copyOf(entries.keySet());
  }

  /** Forgets everything about {@code peer}. */
  public synchronized void remove(PeerId peer) {
    entries.remove(peer);
  }

  private Entry entry(PeerId peer) {
    Entry e = entries.get(peer);
    if (e == null) {
      if (entries.size() >= maxPeers) evictOldest();
      e = new Entry();
      entries.put(peer, e);
    }
    e.touched = clock.nowMillis();
    return e;
  }

  private void evictOldest() {
    PeerId oldest = null;
    long oldestTouched = Long.MAX_VALUE;
    for (Map.Entry<PeerId, Entry> en : entries.entrySet()) {
      if (en.getValue().touched < oldestTouched) {
        oldestTouched = en.getValue().touched;
        oldest = en.getKey();
      }
    }
    if (oldest != null) entries.remove(oldest);
  }

  private static void expire(Entry e, long now) {
    List<Multiaddr> dead = new ArrayList<>();
    for (Map.Entry<Multiaddr, Long> a : e.addresses.entrySet()) if (a.getValue() <= now) dead.add(a.getKey());
    dead.forEach(e.addresses::remove);
  }
}
