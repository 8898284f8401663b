package dev.weft.dht;

import dev.weft.p2p.api.PeerId;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
  /**
   * Peers tracked at most; beyond it the least recently penalised peer that is not banned is
   * forgotten (a banned one only when every tracked peer is banned), so many throw-away
   * identities cannot wash out a ban.
   */
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

  /** In order of last penalty, oldest first. */
  private final Map<PeerId, Score> scores = new LinkedHashMap<>();

  /** Lowers {@code peer}'s score; returns true if this banned it. */
  public boolean penalise(PeerId peer, Offence offence, long nowMillis) {
    Score s = scores.remove(peer);
    if (s == null) {
      s = new Score(0, 0);
      if (scores.size() >= MAX_TRACKED) forgetOne(nowMillis);
    }
    int v = s.value - offence.penalty;
    boolean ban = v <= BAN_THRESHOLD && s.bannedUntil <= nowMillis;
    scores.put(peer, new Score(ban ? 0 : v, ban ? nowMillis + BAN_MILLIS : s.bannedUntil));
    return ban;
  }

  private void forgetOne(long nowMillis) {
    for (Iterator<Score> it = scores.values().iterator(); it.hasNext(); ) {
      if (it.next().bannedUntil <= nowMillis) {
        it.remove();
        return;
      }
    }
    Iterator<Score> oldest = scores.values().iterator();
    oldest.next();
    oldest.remove();
  }

  /** How many peers have a score on record (at most {@link #MAX_TRACKED}). */
  public int tracked() {
    return scores.size();
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
