package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prevotes and precommits of one round: one per (kind, view, voter), tallied by (value, root). A
 * second, different vote for a slot is equivocation; the first stays counted.
 */
final class VoteBook {
  /** A tally key: the value and the state root the voters claim it yields. */
  record Choice(Digest value, Digest root) {}

  private final Map<Long, Signed> slots = new HashMap<>();
  private final Map<Long, Map<Choice, List<Signed>>> tallies = new HashMap<>();
  private final Map<PeerKey, Integer> highestView = new HashMap<>();
  private Signed conflictFirst;

  private static long slot(Kind kind, int view, int voter) {
    return ((long) kind.getNumber() << 56) | ((long) view << 24) | voter;
  }

  private static long tallyKey(Kind kind, int view) {
    return ((long) kind.getNumber() << 32) | view;
  }

  Slot add(int voterIndex, Signed vote) {
    long s = slot(vote.kind(), vote.view(), voterIndex);
    Signed old = slots.putIfAbsent(s, vote);
    if (old != null) {
      if (old.id().equals(vote.id())) return Slot.DUPLICATE;
      conflictFirst = old;
      return Slot.CONFLICT;
    }
    Choice c = new Choice(Digest.from(vote.vote().getValueHash()), Digest.from(vote.vote().getStateRoot()));
    tallies.computeIfAbsent(tallyKey(vote.kind(), vote.view()), k -> new LinkedHashMap<>())
        .computeIfAbsent(c, k -> new ArrayList<>()).add(vote);
    noteView(vote.signer(), vote.view());
    return Slot.NEW;
  }

  Signed lastConflict() {
    return conflictFirst;
  }

  void noteView(PeerKey voter, int view) {
    highestView.merge(voter, view, Math::max);
  }

  /** The choices of {@code kind} at {@code view} with their votes, in first-seen order. */
  Map<Choice, List<Signed>> tally(Kind kind, int view) {
    return tallies.getOrDefault(tallyKey(kind, view), Map.of());
  }

  List<Signed> votes(Kind kind, int view, Choice c) {
    return tally(kind, view).getOrDefault(c, List.of());
  }

  /** The largest view w &gt; {@code current} that at least {@code needed} voters have reached, or -1. */
  int skipTarget(int current, int needed) {
    List<Integer> views = new ArrayList<>(highestView.values());
    views.sort((a, b) -> Integer.compare(b, a));
    if (views.size() < needed) return -1;
    int w = views.get(needed - 1);
    return w > current ? w : -1;
  }

  /** Views with precommits, for a decision check. */
  List<Integer> precommitViews() {
    List<Integer> out = new ArrayList<>();
    for (long k : tallies.keySet()) if ((k >>> 32) == Kind.PRECOMMIT.getNumber()) out.add((int) k);
    out.sort(null);
    return out;
  }
}
