package dev.weft.dht.routing;

import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Kademlia k-buckets around our own point (kad-dht spec, "Kademlia routing table"). Bucket
 * {@code i} holds up to k peers whose point shares exactly {@code i} leading bits with ours,
 * least recently seen first. A live peer that finds its bucket full goes to the bucket's
 * replacement cache, and the caller is told which resident to check: if that one fails it is
 * removed and the freshest replacement takes its place (the paper's "prefer old live peers").
 *
 * <p>Only peers that have answered us should be {@link #add added} (js and go do the same): peers
 * merely mentioned in closerPeers are lookup candidates, not residents.
 *
 * <p>Not thread-safe: confined to the DHT's scheduler.
 */
public final class RoutingTable {
  /** Replacement candidates remembered per bucket. */
  public static final int REPLACEMENT_CACHE_SIZE = 10;
  /** Consecutive failed requests after which a resident is evicted. */
  public static final int MAX_FAILURES = 2;

  /** A resident peer and what we know of its liveness. */
  public static final class Entry {
    private PeerInfo peer;
    private long lastSeenMillis;
    private int failures;

    Entry(PeerInfo peer, long lastSeenMillis) {
      this.peer = peer;
      this.lastSeenMillis = lastSeenMillis;
    }

    public PeerInfo peer() {
      return peer;
    }

    public long lastSeenMillis() {
      return lastSeenMillis;
    }

    public int failures() {
      return failures;
    }
  }

  /** What {@link #add} did. */
  public sealed interface AddResult {
    /** New resident. */
    record Inserted() implements AddResult {}

    /** Already resident; moved to most recently seen, addresses updated. */
    record Refreshed() implements AddResult {}

    /** Bucket full: kept as a replacement; check {@code leastRecentlySeen} and evict it if dead. */
    record BucketFull(PeerInfo leastRecentlySeen) implements AddResult {}

    /** Our own id, never stored. */
    record Self() implements AddResult {}
  }

  private static final class Bucket {
    final ArrayList<Entry> entries = new ArrayList<>();
    final ArrayDeque<PeerInfo> replacements = new ArrayDeque<>();
    long lastRefreshMillis;
  }

  private final KadKey local;
  private final int k;
  private final Bucket[] buckets = new Bucket[KadKey.BITS];
  private int size;

  public RoutingTable(KadKey local, int k, long nowMillis) {
    if (k <= 0) throw new IllegalArgumentException("k must be positive");
    this.local = local;
    this.k = k;
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Bucket();
      buckets[i].lastRefreshMillis = nowMillis;
    }
  }

  public KadKey local() {
    return local;
  }

  public int k() {
    return k;
  }

  /** The bucket index of {@code key}: its common prefix length with our point (256 for us). */
  public int bucketIndex(KadKey key) {
    return local.commonPrefixLength(key);
  }

  /** Records that {@code peer} answered us at {@code nowMillis}. */
  public AddResult add(PeerInfo peer, long nowMillis) {
    int cpl = bucketIndex(peer.kadKey());
    if (cpl == KadKey.BITS) return new AddResult.Self();
    Bucket b = buckets[cpl];
    for (int i = 0; i < b.entries.size(); i++) {
      Entry e = b.entries.get(i);
      if (e.peer.id().equals(peer.id())) {
        b.entries.remove(i);
        e.lastSeenMillis = nowMillis;
        e.failures = 0;
        if (!peer.addrs().isEmpty()) e.peer = peer;
        b.entries.add(e);
        return new AddResult.Refreshed();
      }
    }
    if (b.entries.size() < k) {
      b.entries.add(new Entry(peer, nowMillis));
      b.replacements.remove(peer);
      size++;
      return new AddResult.Inserted();
    }
    b.replacements.remove(peer);
    b.replacements.addLast(peer);
    if (b.replacements.size() > REPLACEMENT_CACHE_SIZE) b.replacements.removeFirst();
    return new AddResult.BucketFull(b.entries.get(0).peer);
  }

  /**
   * Records a failed request to {@code peer}; after {@link #MAX_FAILURES} in a row it is evicted
   * and replaced. Returns whether it was evicted.
   */
  public boolean recordFailure(PeerId peer) {
    Bucket b = bucketOf(peer);
    for (Entry e : b.entries) {
      if (e.peer.id().equals(peer)) {
        if (++e.failures >= MAX_FAILURES) {
          remove(peer);
          return true;
        }
        return false;
      }
    }
    b.replacements.removeIf(p -> p.id().equals(peer));
    return false;
  }

  /** Removes a resident (dead or misbehaving), promoting the freshest replacement if any. */
  public boolean remove(PeerId peer) {
    Bucket b = bucketOf(peer);
    b.replacements.removeIf(p -> p.id().equals(peer));
    for (Iterator<Entry> it = b.entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.peer.id().equals(peer)) {
        it.remove();
        size--;
        PeerInfo promoted = b.replacements.pollLast();
        if (promoted != null) {
          // a replacement was live when cached; treat it as seen now-ish (its old sighting time is unknown here)
          b.entries.add(0, new Entry(promoted, e.lastSeenMillis));
          size++;
        }
        return true;
      }
    }
    return false;
  }

  private Bucket bucketOf(PeerId peer) {
    int cpl = bucketIndex(KadKey.ofPeer(peer));
    return buckets[Math.min(cpl, KadKey.BITS - 1)];
  }

  public boolean contains(PeerId peer) {
    return find(peer) != null;
  }

  /** The resident entry for {@code peer}, or null. */
  public Entry find(PeerId peer) {
    int cpl = bucketIndex(KadKey.ofPeer(peer));
    if (cpl == KadKey.BITS) return null;
    for (Entry e : buckets[cpl].entries) if (e.peer.id().equals(peer)) return e;
    return null;
  }

  /**
   * Up to {@code n} residents closest to {@code target}, closest first. Walks buckets in distance
   * order instead of sorting the table: with c = cpl(us, target), bucket c holds the closest
   * peers, then every bucket deeper than c (all share exactly c bits with the target), then
   * buckets c-1, c-2, ... 0 (bucket i shares exactly i bits with it).
   */
  public List<PeerInfo> closest(KadKey target, int n) {
    List<PeerInfo> out = new ArrayList<>(Math.min(n, size));
    if (n <= 0 || size == 0) return out;
    Comparator<PeerInfo> byDistance = (a, b) -> target.compareDistance(a.kadKey(), b.kadKey());
    int c = Math.min(local.commonPrefixLength(target), KadKey.BITS - 1);
    List<PeerInfo> group = new ArrayList<>();
    addBucket(group, c);
    takeSorted(out, group, n, byDistance);
    if (out.size() < n) {
      group.clear();
      for (int i = c + 1; i <= deepest(); i++) addBucket(group, i);
      takeSorted(out, group, n, byDistance);
    }
    for (int i = c - 1; i >= 0 && out.size() < n; i--) {
      group.clear();
      addBucket(group, i);
      takeSorted(out, group, n, byDistance);
    }
    return out;
  }

  private void addBucket(List<PeerInfo> group, int i) {
    ArrayList<Entry> es = buckets[i].entries;
    for (int j = 0; j < es.size(); j++) group.add(es.get(j).peer);
  }

  /** The deepest non-empty bucket, or -1. */
  private int deepest() {
    for (int i = KadKey.BITS - 1; i >= 0; i--) if (!buckets[i].entries.isEmpty()) return i;
    return -1;
  }

  private static void takeSorted(List<PeerInfo> out, List<PeerInfo> group, int n, Comparator<PeerInfo> order) {
    if (group.isEmpty()) return;
    group.sort(order);
    for (int i = 0; i < group.size() && out.size() < n; i++) out.add(group.get(i));
  }

  public List<Entry> entries() {
    List<Entry> all = new ArrayList<>(size);
    for (Bucket b : buckets) all.addAll(b.entries);
    return all;
  }

  public List<PeerInfo> bucket(int index) {
    return buckets[index].entries.stream().map(Entry::peer).toList();
  }

  public List<PeerInfo> replacements(int index) {
    return List.copyOf(buckets[index].replacements);
  }

  public int size() {
    return size;
  }

  /** Notes that a lookup for a point in bucket {@code index} completed. */
  public void markRefreshed(int index, long nowMillis) {
    if (index < KadKey.BITS) buckets[index].lastRefreshMillis = nowMillis;
  }

  /**
   * Bucket indices up to {@code maxIndex} that no lookup has touched for {@code intervalMillis}:
   * from 0 to the deepest non-empty bucket (deeper ones are naturally empty in a network of this
   * size; the self-lookup covers them).
   */
  public List<Integer> staleBuckets(long nowMillis, long intervalMillis, int maxIndex) {
    int deepest = deepest();
    List<Integer> stale = new ArrayList<>();
    for (int i = 0; i <= Math.min(deepest, maxIndex); i++) {
      if (nowMillis - buckets[i].lastRefreshMillis >= intervalMillis) stale.add(i);
    }
    return stale;
  }
}
