package dev.weft.dht;

import dev.weft.p2p.api.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * How much we trust each peer's DHT answers. Misbehaviour (undecodable frames, invalid records,
 * forged provider announcements) lowers a score; at {@link #BAN_THRESHOLD} the peer is banned for
 * {@link #BAN_MILLIS}: dropped from the routing table, never queried, its requests ignored.
 * Timeouts are not misbehaviour (the routing table counts those). Not thread-safe: DHT scheduler.
 */
public final class PeerScores {
  public static final int BAN_THRESHOLD = -100;
  public static final long BAN_MILLIS = 60 * 60_000L;
  /** Peers tracked at most; the least recently penalised are forgotten beyond it. */
  public static final int MAX_TRACKED = 10_000;

  /** Penalties by offence. */
  public enum Offence {
    MALFORMED_MESSAGE(50), INVALID_RECORD(25), OVERSIZED(50), FORGED_PROVIDER(25), WRONG_RESPONSE(20);

    final int penalty;

    Offence(int penalty) {
      this.penalty = penalty;
    }
  }

  private record Score(int value, long bannedUntil) {}

  private final Map<PeerId, Score> scores = new HashMap<>();

  /** Lowers {@code peer}'s score; returns true if this banned it. */
  public boolean penalise(PeerId peer, Offence offence, long nowMillis) {
    if (scores.size() >= MAX_TRACKED && !scores.containsKey(peer)) scores.clear();
    Score s = scores.getOrDefault(peer, new Score(0, 0));
    int v = s.value - offence.penalty;
    boolean ban = v <= BAN_THRESHOLD && s.bannedUntil <= nowMillis;
    scores.put(peer, new Score(ban ? 0 : v, ban ? nowMillis + BAN_MILLIS : s.bannedUntil));
    return ban;
  }

  public boolean isBanned(PeerId peer, long nowMillis) {
    Score s = scores.get(peer);
    return s != null && s.bannedUntil > nowMillis;
  }

  public int score(PeerId peer) {
    Score s = scores.get(peer);
    return s == null ? 0 : s.value;
  }
}
