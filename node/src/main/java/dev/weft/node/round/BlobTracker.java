package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which blobs this peer holds (and whether they decoded) and which it is fetching, each tagged with
 * the round that needed it, so entries older than the retention window can be dropped: the tracker
 * stays bounded by rounds × contributors.
 */
final class BlobTracker {
  private record Entry(long round, String invalidReason, boolean held) {}

  private final Map<Digest, Entry> entries = new HashMap<>();

  boolean held(Digest cid) {
    Entry e = entries.get(cid);
    return e != null && e.held;
  }

  String invalidReason(Digest cid) {
    Entry e = entries.get(cid);
    return e == null ? null : e.invalidReason;
  }

  void markHeld(Digest cid, long round, String invalidReason) {
    Entry old = entries.get(cid);
    entries.put(cid, new Entry(old == null ? round : Math.max(round, old.round), invalidReason, true));
  }

  /** A Fetch to emit, or null if held or already being fetched. */
  RoundAction.Fetch fetch(long round, Digest cid, List<PeerKey> sources) {
    Entry e = entries.get(cid);
    if (e != null) return null;
    entries.put(cid, new Entry(round, null, false));
    return new RoundAction.Fetch(round, cid, List.copyOf(sources));
  }

  /** A failed fetch may be retried (with other sources). */
  void failed(Digest cid) {
    Entry e = entries.get(cid);
    if (e != null && !e.held) entries.remove(cid);
  }

  /**
   * Forgets fetches still in flight so they are asked again: called on a view change, so a fetch
   * whose answer was lost (the host must answer every Fetch, but a restart may drop one) cannot
   * keep a voter from prevoting forever.
   */
  void retryInFlight() {
    entries.values().removeIf(e -> !e.held);
  }

  void prune(long oldestRound) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) if (it.next().round < oldestRound) it.remove();
  }

  List<Digest> missing(List<Digest> cids) {
    List<Digest> out = new ArrayList<>();
    for (Digest c : cids) if (!held(c)) out.add(c);
    return out;
  }
}
