package dev.weft.dht;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multihash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who holds how much of one kind of stored entry (records, or provider records): entries and
 * accounted bytes per remote peer and in total, and which entries to give up when a new one
 * does not fit. It decides; the caller deletes what it is told to from the store and adds the
 * entry. Pure bookkeeping, no I/O; not thread-safe (DHT scheduler).
 *
 * <p>Eviction order when {@code peer} wants to store an entry:
 * <ol>
 *   <li>over its own quota, {@code peer} gives up its own oldest entries: a flooder only ever
 *       pushes out itself;</li>
 *   <li>over the total, the least-trusted holder (not {@code trusted}: not verified by contact,
 *       or misbehaving) that holds the most bytes gives up its oldest entry, but only if it holds
 *       more than {@code peer} would after the write; trusted holders are considered only when no
 *       untrusted one qualifies; if nobody holds more than {@code peer} would, {@code peer} gives
 *       up its own oldest entry, and with none left the write is refused.</li>
 * </ol>
 * So under a flood the flooders shrink towards an equal share and no peer holding less than the
 * flooders loses anything. Entries given up in a call that is finally refused stay given up
 * (they belonged to heavier holders, which is where the space had to come from anyway).
 */
public final class QuotaLedger {
  /** Bytes charged per entry on top of its key and payload: store overhead, and so floods of tiny entries count. */
  public static final int ENTRY_OVERHEAD_BYTES = 64;
  /** Who entries stored before storers were recorded belong to: one untrusted pseudo-peer. */
  public static final PeerId UNATTRIBUTED = PeerId.fromBytes(Multihash.sha256("weft/dht/unattributed".getBytes(StandardCharsets.US_ASCII)).bytes());

  /** One entry to drop: its holder and its id (record key, or provider key). */
  public record Eviction(PeerId holder, byte[] id) {}

  /** What {@link #admit} decided. */
  public sealed interface Admission {
    /** Store the entry after deleting {@code evictions} (already taken off the ledger). */
    record Admitted(List<Eviction> evictions) implements Admission {}

    /** Do not store it; {@code evictions} were taken off the ledger and must still be deleted. */
    record Refused(String reason, List<Eviction> evictions) implements Admission {}
  }

  /** One holder's share. */
  public record Usage(int entries, long bytes) {}

  private static final class Holder {
    final PeerId peer;
    final LinkedHashMap<ByteBuffer, Long> entries = new LinkedHashMap<>();
    long bytes;

    Holder(PeerId peer) {
      this.peer = peer;
    }
  }

  private static final Comparator<Holder> HEAVIEST_FIRST = Comparator.<Holder>comparingLong(h -> -h.bytes).thenComparing(h -> h.peer);

  private final long maxEntries;
  private final long maxBytes;
  private final long maxEntriesPerPeer;
  private final long maxBytesPerPeer;
  private final Map<PeerId, Holder> holders = new HashMap<>();
  private final TreeSet<Holder> byWeight = new TreeSet<>(HEAVIEST_FIRST);
  private long totalEntries;
  private long totalBytes;

  public QuotaLedger(long maxEntries, long maxBytes, long maxEntriesPerPeer, long maxBytesPerPeer) {
    if (maxEntries <= 0 || maxBytes <= 0 || maxEntriesPerPeer <= 0 || maxBytesPerPeer <= 0) throw new IllegalArgumentException("quotas must be positive");
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxEntriesPerPeer = maxEntriesPerPeer;
    this.maxBytesPerPeer = maxBytesPerPeer;
  }

  /**
   * Decides whether {@code peer} may store entry {@code id} of {@code bytes} accounted bytes, and
   * what must go first. A replacement of an entry {@code peer} already holds counts only the
   * difference. On {@link Admission.Admitted} the caller must then call {@link #add}.
   */
  public Admission admit(PeerId peer, byte[] id, long bytes, Predicate<PeerId> trusted) {
    List<Eviction> out = new ArrayList<>();
    if (bytes > maxBytesPerPeer) return new Admission.Refused("entry of " + bytes + " bytes exceeds the per-peer quota of " + maxBytesPerPeer, out);
    ByteBuffer key = ByteBuffer.wrap(id);
    Holder self = holders.get(peer);
    long already = self == null ? -1 : self.entries.getOrDefault(key, -1L);
    boolean replacing = already >= 0;
    long addEntries = replacing ? 0 : 1;
    long addBytes = bytes - Math.max(0, already);
    // 1. the peer's own quota: its own oldest entries go
    while (self != null && (self.entries.size() + addEntries > maxEntriesPerPeer || self.bytes + addBytes > maxBytesPerPeer)) {
      if (!evictOldest(self, key, out)) return new Admission.Refused("nothing of its own left to evict", out);
    }
    // 2. the total: the heaviest least-trusted holder heavier than the newcomer, else the newcomer itself
    while (totalEntries + addEntries > maxEntries || totalBytes + addBytes > maxBytes) {
      long newcomerAfter = (self == null ? 0 : self.bytes) + addBytes;
      Holder victim = heaviestOther(peer, newcomerAfter, trusted);
      if (victim != null) {
        evictOldest(victim, null, out);
      } else if (self == null || !evictOldest(self, key, out)) {
        return new Admission.Refused("store full and no holder heavier than " + peer, out);
      }
    }
    return new Admission.Admitted(out);
  }

  private Holder heaviestOther(PeerId peer, long thanBytes, Predicate<PeerId> trusted) {
    Holder firstTrusted = null;
    for (Holder h : byWeight) {
      if (h.bytes <= thanBytes) break;
      if (h.peer.equals(peer)) continue;
      if (!trusted.test(h.peer)) return h;
      if (firstTrusted == null) firstTrusted = h;
    }
    return firstTrusted;
  }

  /** Takes {@code h}'s oldest entry (other than {@code keep}) off the ledger. */
  private boolean evictOldest(Holder h, ByteBuffer keep, List<Eviction> out) {
    Iterator<Map.Entry<ByteBuffer, Long>> it = h.entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<ByteBuffer, Long> e = it.next();
      if (e.getKey().equals(keep)) continue;
      byWeight.remove(h);
      it.remove();
      h.bytes -= e.getValue();
      totalEntries--;
      totalBytes -= e.getValue();
      reindex(h);
      out.add(new Eviction(h.peer, e.getKey().array()));
      return true;
    }
    return false;
  }

  /** Records that {@code peer} now holds {@code id} (newest of its entries); replaces its earlier size. */
  public void add(PeerId peer, byte[] id, long bytes) {
    Holder h = holders.computeIfAbsent(peer, Holder::new);
    byWeight.remove(h);
    ByteBuffer key = ByteBuffer.wrap(id.clone());
    Long old = h.entries.remove(key);
    if (old != null) {
      h.bytes -= old;
      totalBytes -= old;
      totalEntries--;
    }
    h.entries.put(key, bytes);
    h.bytes += bytes;
    totalBytes += bytes;
    totalEntries++;
    reindex(h);
  }

  /** Forgets {@code peer}'s entry {@code id} (deleted, expired, or replaced by another holder's). */
  public void remove(PeerId peer, byte[] id) {
    Holder h = holders.get(peer);
    if (h == null) return;
    Long old = h.entries.get(ByteBuffer.wrap(id));
    if (old == null) return;
    byWeight.remove(h);
    h.entries.remove(ByteBuffer.wrap(id));
    h.bytes -= old;
    totalBytes -= old;
    totalEntries--;
    reindex(h);
  }

  private void reindex(Holder h) {
    if (h.entries.isEmpty()) holders.remove(h.peer);
    else byWeight.add(h);
  }

  public Usage usage(PeerId peer) {
    Holder h = holders.get(peer);
    return h == null ? new Usage(0, 0) : new Usage(h.entries.size(), h.bytes);
  }

  /** The holder with the most bytes, if any. */
  public Optional<PeerId> heaviest() {
    return byWeight.isEmpty() ? Optional.empty() : Optional.of(byWeight.first().peer);
  }

  public long totalEntries() {
    return totalEntries;
  }

  public long totalBytes() {
    return totalBytes;
  }

  public int holders() {
    return holders.size();
  }
}
