package dev.weft.node.blocks;

import dev.weft.p2p.api.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * How block-exchange peers have behaved across downloads, on an injected clock: a peer that sent
 * a corrupt chunk or manifest is banned for {@link #BAN_MILLIS} (a corrupt chunk cannot be an
 * accident: TCP, Noise and the chunk hash all had to agree on the wrong bytes); a peer that stalls
 * loses points and is banned when it falls to {@link #BAN_SCORE}; good chunks earn a little back.
 * Banned peers are not asked and their requests are refused. Not thread-safe: confine to the
 * service's executor.
 */
public final class PeerStandings {
  public static final long BAN_MILLIS = 60 * 60_000L;
  public static final int BAN_SCORE = -100;
  static final int STALL_PENALTY = 20;
  static final int FAILURE_PENALTY = 10;
  static final int MAX_SCORE = 100;
  /** Peers remembered at most (the worst are kept when it is full). */
  static final int MAX_PEERS = 4096;

  private record Standing(int score, long bannedUntil) {}

  private final Map<PeerId, Standing> peers = new HashMap<>();

  public boolean isBanned(PeerId peer, long now) {
    Standing s = peers.get(peer);
    return s != null && s.bannedUntil > now;
  }

  public int score(PeerId peer) {
    Standing s = peers.get(peer);
    return s == null ? 0 : s.score;
  }

  /** Applies what one download saw of each provider. */
  public void record(DownloadScheduler.ProviderReport r, long now) {
    Standing s = peers.getOrDefault(r.peer(), new Standing(0, 0));
    int score = Math.min(MAX_SCORE, s.score + r.chunksServed() - STALL_PENALTY * r.timeouts() - FAILURE_PENALTY * r.failures());
    long banned = s.bannedUntil;
    if (r.corrupt() > 0 || score <= BAN_SCORE) {
      banned = now + BAN_MILLIS;
      score = Math.min(score, BAN_SCORE);
    }
    put(r.peer(), new Standing(score, banned));
  }

  /** A peer sent a malformed request. */
  public void malformed(PeerId peer, long now) {
    Standing s = peers.getOrDefault(peer, new Standing(0, 0));
    int score = s.score - FAILURE_PENALTY;
    put(peer, new Standing(score, score <= BAN_SCORE ? now + BAN_MILLIS : s.bannedUntil));
  }

  private void put(PeerId peer, Standing s) {
    if (!peers.containsKey(peer) && peers.size() >= MAX_PEERS) {
      PeerId best = null;
      for (Map.Entry<PeerId, Standing> e : peers.entrySet()) {
        if (best == null || e.getValue().score > peers.get(best).score) best = e.getKey();
      }
      peers.remove(best);
    }
    peers.put(peer, s);
  }
}
