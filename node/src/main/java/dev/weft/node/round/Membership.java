package dev.weft.node.round;

import dev.weft.node.round.msg.PeerKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The finalized membership a round is built from: every member's join round and whether it is
 * banned. Immutable; bans come only from certified evidence, so every peer that applied the same
 * certificates holds the same membership.
 */
public final class Membership {
  /** One member. */
  public record Member(PeerKey key, long joinedRound, boolean banned) {}

  private final TreeMap<PeerKey, Member> members;
  private final long minTenure;

  public Membership(Collection<Member> members, long minTenure) {
    if (minTenure < 0) throw new IllegalArgumentException("negative tenure");
    this.members = new TreeMap<>();
    for (Member m : members) {
      if (this.members.put(m.key(), m) != null) throw new IllegalArgumentException("duplicate member " + m.key());
    }
    this.minTenure = minTenure;
  }

  /** Contributors of {@code round}: every member not banned, sorted. Report bitmaps index this list. */
  public List<PeerKey> contributors() {
    List<PeerKey> out = new ArrayList<>();
    for (Member m : members.values()) if (!m.banned()) out.add(m.key());
    return out;
  }

  /** Voters of {@code round}: members not banned that joined at least {@code minTenure} rounds before it. */
  public VoterSet voters(long round) {
    List<PeerKey> out = new ArrayList<>();
    for (Member m : members.values()) if (!m.banned() && m.joinedRound() + minTenure <= round) out.add(m.key());
    return new VoterSet(out);
  }

  public boolean isBanned(PeerKey k) {
    Member m = members.get(k);
    return m != null && m.banned();
  }

  public boolean isMember(PeerKey k) {
    return members.containsKey(k);
  }

  public List<PeerKey> banned() {
    List<PeerKey> out = new ArrayList<>();
    for (Member m : members.values()) if (m.banned()) out.add(m.key());
    return out;
  }

  /** This membership with {@code offenders} banned (unknown keys are ignored). */
  public Membership withBans(Collection<PeerKey> offenders) {
    if (offenders.isEmpty()) return this;
    Map<PeerKey, Member> copy = new TreeMap<>(members);
    for (PeerKey k : offenders) {
      Member m = copy.get(k);
      if (m != null) copy.put(k, new Member(k, m.joinedRound(), true));
    }
    return new Membership(copy.values(), minTenure);
  }
}
