package dev.weft.crdt.replica;

import dev.weft.crdt.delta.SignedDelta;
import dev.weft.p2p.api.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deltas one writer produced that this replica holds, by sequence number, and what they cover.
 *
 * <p>A held delta is <em>superseded</em> when a later delta of the same writer on the same key
 * already contains it ({@code later ⊔ earlier = later}: a newer register write, a larger counter
 * total). Superseded deltas add nothing to the state, so they may be dropped (compaction) once
 * every known replica covers the superseding one. Supersession depends only on which deltas exist,
 * not on which were dropped, so the {@link #hash} over live deltas agrees between a replica that
 * compacted and one that did not.
 */
final class WriterLog {
  final PeerId writer;
  private final TreeMap<Long, SignedDelta> held = new TreeMap<>();
  /** Every seq up to this is covered: held, or dropped as superseded. */
  private long contiguous;
  /** Superseded held seq → the seq of the delta that supersedes it. */
  private final TreeMap<Long, Long> supersededBy = new TreeMap<>();
  /** Live (not superseded) held seqs, per key. */
  private final Map<String, TreeSet<Long>> liveByKey = new HashMap<>();
  private byte[] hash;

  WriterLog(PeerId writer) {
    this.writer = writer;
  }

  SignedDelta get(long seq) {
    return held.get(seq);
  }

  boolean covers(long seq) {
    return seq <= contiguous || held.containsKey(seq);
  }

  long contiguous() {
    return contiguous;
  }

  /** Raises the covered prefix (restored from disk, or claimed by a peer whose deltas we took). */
  void coverThrough(long seq) {
    if (seq > contiguous) {
      contiguous = seq;
      advance();
    }
  }

  int size() {
    return held.size();
  }

  NavigableMap<Long, SignedDelta> held() {
    return java.util.Collections.unmodifiableNavigableMap(held);
  }

  /** Held seqs beyond the covered prefix (gaps before them), ascending. */
  List<Long> extras() {
    return new ArrayList<>(held.tailMap(contiguous, false).keySet());
  }

  void add(SignedDelta d) {
    held.put(d.seq(), d);
    hash = null;
    TreeSet<Long> live = liveByKey.computeIfAbsent(d.key(), k -> new TreeSet<>());
    boolean supersededNow = false;
    for (Long s : new ArrayList<>(live)) {
      SignedDelta e = held.get(s);
      if (s < d.seq() && d.value().merge(e.value()).equals(d.value())) {
        live.remove(s);
        supersededBy.put(s, d.seq());
      } else if (s > d.seq() && e.value().merge(d.value()).equals(e.value())) {
        supersededNow = true;
        supersededBy.put(d.seq(), s);
      }
    }
    if (!supersededNow) live.add(d.seq());
    advance();
  }

  private void advance() {
    while (held.containsKey(contiguous + 1)) contiguous++;
  }

  boolean isLive(long seq) {
    return held.containsKey(seq) && !supersededBy.containsKey(seq);
  }

  /** Live deltas, ascending by seq. */
  List<SignedDelta> live() {
    List<SignedDelta> out = new ArrayList<>();
    for (SignedDelta d : held.values()) if (!supersededBy.containsKey(d.seq())) out.add(d);
    return out;
  }

  /** SHA-256 over the live deltas' (seq, id), ascending: equal on replicas holding the same writes. */
  byte[] hash() {
    if (hash == null) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (SignedDelta d : held.values()) {
          if (supersededBy.containsKey(d.seq())) continue;
          long s = d.seq();
          for (int i = 56; i >= 0; i -= 8) md.update((byte) (s >>> i));
          md.update(d.id());
        }
        hash = md.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
    return hash.clone();
  }

  /**
   * Drops superseded deltas whose supersessor every known replica covers ({@code ackedThrough});
   * returns them (for the store to delete).
   */
  List<SignedDelta> compact(long ackedThrough) {
    List<SignedDelta> dropped = new ArrayList<>();
    var it = supersededBy.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey() <= contiguous && e.getValue() <= ackedThrough && e.getValue() <= contiguous) {
        dropped.add(held.remove(e.getKey()));
        it.remove();
      }
    }
    return dropped;
  }
}
