package dev.weft.node.round;

import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The availability reports of one round: the first one per voter; a second, different one is evidence. */
final class ReportBook {
  private final TreeMap<Integer, Signed> byVoter = new TreeMap<>();
  private Signed conflictFirst;

  Slot add(int voterIndex, Signed report) {
    Signed old = byVoter.putIfAbsent(voterIndex, report);
    if (old == null) return Slot.NEW;
    if (old.id().equals(report.id())) return Slot.DUPLICATE;
    conflictFirst = old;
    return Slot.CONFLICT;
  }

  /** The message a CONFLICT collided with. */
  Signed lastConflict() {
    return conflictFirst;
  }

  int size() {
    return byVoter.size();
  }

  Signed of(int voterIndex) {
    return byVoter.get(voterIndex);
  }

  /** The first {@code q} reports in voter order. */
  List<Signed> first(int q) {
    List<Signed> out = new ArrayList<>(q);
    for (Signed s : byVoter.values()) {
      if (out.size() == q) break;
      out.add(s);
    }
    return out;
  }

  List<Signed> all() {
    return new ArrayList<>(byVoter.values());
  }

  List<PeerKey> voters() {
    List<PeerKey> out = new ArrayList<>();
    for (Signed s : byVoter.values()) out.add(s.signer());
    return out;
  }
}
