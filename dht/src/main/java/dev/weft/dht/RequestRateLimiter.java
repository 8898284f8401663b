package dev.weft.dht;

import dev.weft.p2p.api.PeerId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per remote peer on the node's (injected) clock: {@code requestBurst} requests at
 * once, refilled at {@code requestsPerSecond}. A request without a token gets no answer. At most
 * {@code maxRateTrackedPeers} buckets are kept; the one idle longest is forgotten first, which is
 * harmless because an idle bucket has refilled (a forgotten peer starts again with a full one,
 * which it would have had anyway). Not thread-safe: DHT scheduler.
 */
public final class RequestRateLimiter {
  private static final class Bucket {
    double tokens;
    long atMillis;

    Bucket(double tokens, long atMillis) {
      this.tokens = tokens;
      this.atMillis = atMillis;
    }
  }

  private final double perMilli;
  private final int burst;
  private final int maxTracked;
  /** Access order: least recently used first. */
  private final LinkedHashMap<PeerId, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
  private long refused;

  public RequestRateLimiter(DhtLimits limits) {
    this.perMilli = limits.requestsPerSecond() / 1000.0;
    this.burst = limits.requestBurst();
    this.maxTracked = limits.maxRateTrackedPeers();
  }

  /** Takes a token for one request from {@code peer} at {@code nowMillis}; false: over the rate, drop it. */
  public boolean tryAcquire(PeerId peer, long nowMillis) {
    Bucket b = buckets.get(peer);
    if (b == null) {
      if (buckets.size() >= maxTracked) {
        Iterator<Map.Entry<PeerId, Bucket>> it = buckets.entrySet().iterator();
        it.next();
        it.remove();
      }
      b = new Bucket(burst, nowMillis);
      buckets.put(peer, b);
    } else if (nowMillis > b.atMillis) {
      b.tokens = Math.min(burst, b.tokens + (nowMillis - b.atMillis) * perMilli);
      b.atMillis = nowMillis;
    }
    if (b.tokens < 1) {
      refused++;
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  /** Requests refused so far (for metrics). */
  public long refused() {
    return refused;
  }

  public int tracked() {
    return buckets.size();
  }
}
