package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen in the last {@code ttl} milliseconds of the injected clock (v1.0 "seen" cache,
 * first-seen expiry as js and go). Bounded: beyond {@code maxEntries} the oldest ids are
 * forgotten early. Confined to the router thread.
 */
public final class SeenCache {
  private final Clock clock;
  private final long ttlMillis;
  private final int maxEntries;
  private final LinkedHashMap<MessageId, Long> expiry = new LinkedHashMap<>();

  public SeenCache(Clock clock, long ttlMillis, int maxEntries) {
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.maxEntries = maxEntries;
  }

  /** Records {@code id}; returns true if it was not seen (or had expired). */
  public boolean add(MessageId id) {
    long now = clock.nowMillis();
    Long exp = expiry.get(id);
    if (exp != null && exp > now) return false;
    if (exp != null) expiry.remove(id);
    expiry.put(id, now + ttlMillis);
    if (expiry.size() > maxEntries) {
      Iterator<MessageId> it = expiry.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  public boolean contains(MessageId id) {
    Long exp = expiry.get(id);
    return exp != null && exp > clock.nowMillis();
  }

  /** Forgets expired ids (they are kept in insertion order, hence expiry order). */
  public void expire() {
    long now = clock.nowMillis();
    Iterator<Map.Entry<MessageId, Long>> it = expiry.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() > now) break;
      it.remove();
    }
  }

  public int size() {
    return expiry.size();
  }
}
