package dev.weft.p2p.nat.relay;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/**
 * What a circuit relay v2 client does and may be made to hold. Validated on construction.
 *
 * @param relays relays to reserve a slot on, each ending in {@code /p2p/RELAY}
 * @param refreshMarginMillis refresh a reservation this long before it expires (go-libp2p: 2 min)
 * @param minRefreshMillis never refresh sooner than this after a reservation (a relay answering
 *     with an expiry in the past cannot make us hammer it)
 * @param retryBaseMillis first wait after a failed reservation; doubles per failure
 * @param retryMaxMillis the longest wait between attempts
 * @param messageTimeoutMillis how long a relay may take to answer a hop message, and a relay to
 *     send its stop message
 * @param upgradeTimeoutMillis the whole Noise + Yamux upgrade inside a relayed stream
 * @param maxInboundCircuits relayed connections accepted at once (each costs an inner Noise
 *     session and Yamux session)
 * @param eventLoopThreads threads of the relayed connections' own event loops
 */
public record RelayClientConfig(List<Multiaddr> relays, long refreshMarginMillis, long minRefreshMillis, long retryBaseMillis,
    long retryMaxMillis, long messageTimeoutMillis, long upgradeTimeoutMillis, int maxInboundCircuits, int eventLoopThreads) {
  public RelayClientConfig {
    relays = List.copyOf(relays);
    for (Multiaddr r : relays) {
      if (r.peerId().isEmpty()) throw new IllegalArgumentException("a relay address must end in /p2p/<relay>: " + r);
    }
    positive("refreshMarginMillis", refreshMarginMillis);
    positive("minRefreshMillis", minRefreshMillis);
    positive("retryBaseMillis", retryBaseMillis);
    positive("retryMaxMillis", retryMaxMillis);
    positive("messageTimeoutMillis", messageTimeoutMillis);
    positive("upgradeTimeoutMillis", upgradeTimeoutMillis);
    positive("maxInboundCircuits", maxInboundCircuits);
    positive("eventLoopThreads", eventLoopThreads);
    if (retryMaxMillis < retryBaseMillis) throw new IllegalArgumentException("retryMaxMillis below retryBaseMillis");
  }

  /** Reserving on {@code relays}, with defaults: refresh 2 min early, retry from 5 s to 5 min. */
  public static RelayClientConfig of(List<Multiaddr> relays) {
    return new RelayClientConfig(relays, 2 * 60_000, 5_000, 5_000, 5 * 60_000, 10_000, 20_000, 32, 1);
  }

  /** Dialling through relays and accepting circuits, reserving nowhere. */
  public static RelayClientConfig dialOnly() {
    return of(List.of());
  }

  public RelayClientConfig withRefresh(long marginMillis, long minMillis) {
    return new RelayClientConfig(relays, marginMillis, minMillis, retryBaseMillis, retryMaxMillis, messageTimeoutMillis,
        upgradeTimeoutMillis, maxInboundCircuits, eventLoopThreads);
  }

  /**
   * When to refresh a reservation that lapses in {@code remainingMillis}: {@link #refreshMarginMillis}
   * early, or halfway for one too short for that, never sooner than {@link #minRefreshMillis}.
   */
  public long refreshDelayMillis(long remainingMillis) {
    long early = remainingMillis > 2 * refreshMarginMillis ? remainingMillis - refreshMarginMillis : remainingMillis / 2;
    return Math.max(minRefreshMillis, early);
  }

  /** The wait before attempt {@code failures + 1} after {@code failures} failed ones (≥ 1). */
  public long retryDelayMillis(int failures) {
    int doublings = Math.min(Math.max(0, failures - 1), 30);
    return Math.min(retryMaxMillis, retryBaseMillis << doublings);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
