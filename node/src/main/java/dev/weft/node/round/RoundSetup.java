package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything fixed when a round starts, all from certified data: the round, the state root it
 * builds on, the leader seed (the previous decision), voters and contributors; plus the local
 * monotonic time the round started at, the anchor of its cut-off.
 */
public final class RoundSetup {
  private final long round;
  private final Digest baseRoot;
  private final Digest seed;
  private final VoterSet voters;
  private final List<PeerKey> contributors;
  private final Map<PeerKey, Integer> contributorIndex = new HashMap<>();
  private final long anchorMillis;

  public RoundSetup(long round, Digest baseRoot, Digest seed, VoterSet voters, List<PeerKey> contributors, long anchorMillis) {
    this.round = round;
    this.baseRoot = baseRoot;
    this.seed = seed;
    this.voters = voters;
    this.contributors = List.copyOf(contributors);
    for (int i = 0; i < this.contributors.size(); i++) contributorIndex.put(this.contributors.get(i), i);
    this.anchorMillis = anchorMillis;
  }

  public long round() {
    return round;
  }

  public Digest baseRoot() {
    return baseRoot;
  }

  public Digest seed() {
    return seed;
  }

  public VoterSet voters() {
    return voters;
  }

  public List<PeerKey> contributors() {
    return contributors;
  }

  public int contributorIndex(PeerKey k) {
    Integer i = contributorIndex.get(k);
    return i == null ? -1 : i;
  }

  public long anchorMillis() {
    return anchorMillis;
  }

  /** Bytes of a full report bitmap. */
  public int bitmapBytes() {
    return (contributors.size() + 7) / 8;
  }

  public PeerKey leader(int view) {
    return voters.leader(seed, round, view);
  }
}
