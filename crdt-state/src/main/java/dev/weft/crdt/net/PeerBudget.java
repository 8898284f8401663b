package dev.weft.crdt.net;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per peer: how many deltas we validate for one peer per second (signature checks
 * cost CPU a peer should not be able to take without bound). Beyond it the peer's deltas are
 * IGNOREd: not merged, not forwarded, nobody penalised; anti-entropy later brings what was real.
 * The table is bounded: when full it is cleared (every peer starts with a full bucket again).
 */
public final class PeerBudget {
  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private final int maxPeers;
  private final Map<PeerId, double[]> buckets = new HashMap<>();

  public PeerBudget(Clock clock, double perSecond, double burst, int maxPeers) {
    if (perSecond <= 0 || burst < 1 || maxPeers < 1) throw new IllegalArgumentException("bad budget");
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxPeers = maxPeers;
  }

  /** Takes one token from {@code peer}'s bucket; false when it is empty. */
  public boolean tryTake(PeerId peer) {
    long now = clock.nowMillis();
    if (!buckets.containsKey(peer) && buckets.size() >= maxPeers) buckets.clear();
    double[] b = buckets.computeIfAbsent(peer, p -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - b[1]) * perSecond / 1000.0);
    b[1] = now;
    if (b[0] < 1) return false;
    b[0] -= 1;
    return true;
  }
}
