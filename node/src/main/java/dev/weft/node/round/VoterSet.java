package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The voters of one round, sorted by key: n voters tolerate f = ⌊(n−1)/3⌋ Byzantine ones, and a
 * quorum is q = n − f (any two quorums share at least f+1 voters, so at least one honest one).
 */
public final class VoterSet {
  private final List<PeerKey> voters;
  private final Map<PeerKey, Integer> index = new HashMap<>();

  public VoterSet(List<PeerKey> sortedVoters) {
    if (sortedVoters.isEmpty()) throw new IllegalArgumentException("a round needs at least one voter");
    this.voters = List.copyOf(sortedVoters);
    for (int i = 0; i < voters.size(); i++) {
      if (i > 0 && voters.get(i - 1).compareTo(voters.get(i)) >= 0) throw new IllegalArgumentException("voters must be sorted and distinct");
      index.put(voters.get(i), i);
    }
  }

  public int n() {
    return voters.size();
  }

  public int f() {
    return (voters.size() - 1) / 3;
  }

  public int quorum() {
    return voters.size() - f();
  }

  public boolean contains(PeerKey k) {
    return index.containsKey(k);
  }

  public int indexOf(PeerKey k) {
    Integer i = index.get(k);
    return i == null ? -1 : i;
  }

  public PeerKey get(int i) {
    return voters.get(i);
  }

  public List<PeerKey> list() {
    return voters;
  }

  /**
   * The leader of {@code view}: a rotation whose start is drawn from the previous round's certified
   * decision, so nobody can choose to lead a round by picking keys, and every view has a new leader.
   */
  public int leaderIndex(Digest seed, long round, int view) {
    Digest d = Digest.of(seed.bytes(), ByteBuffer.allocate(8).putLong(round).array());
    long start = Math.floorMod(ByteBuffer.wrap(d.bytes()).getLong(), (long) voters.size());
    return (int) ((start + view) % voters.size());
  }

  public PeerKey leader(Digest seed, long round, int view) {
    return voters.get(leaderIndex(seed, round, view));
  }
}
