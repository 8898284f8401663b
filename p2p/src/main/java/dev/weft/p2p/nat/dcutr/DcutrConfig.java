package dev.weft.p2p.nat.dcutr;

/**
 * Limits and timing of DCUtR. Validated on construction.
 *
 * @param maxAttempts attempts the initiator makes (the spec: retry twice, 3 in all)
 * @param messageTimeoutMillis how long the peer may take to answer CONNECT or to send SYNC
 * @param relayCloseGraceMillis how long the relayed connection stays open once a direct one formed
 *     (spec: "closed after a grace period"), so streams opened on it just before can finish
 * @param maxConcurrentUpgrades upgrades in flight at once (each holds a stream and dials): a storm
 *     of relayed connections cannot make us dial without bound
 * @param autoStart whether to start as initiator on every relayed connection we accept
 * @param punchTimeoutMillis how long one attempt waits for a direct connection once its dials
 *     start: through NATs the SYNs that lose the race are dropped and retransmitted after 1 s and
 *     3 s, so a hole that can open does within a few seconds, and a symmetric NAT costs each
 *     attempt only this long
 */
public record DcutrConfig(int maxAttempts, long messageTimeoutMillis, long relayCloseGraceMillis, int maxConcurrentUpgrades, boolean autoStart,
    long punchTimeoutMillis) {
  public static final DcutrConfig DEFAULT = new DcutrConfig(3, 10_000, 1_000, 16, true, 5_000);

  public DcutrConfig {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
    if (messageTimeoutMillis <= 0) throw new IllegalArgumentException("messageTimeoutMillis must be positive: " + messageTimeoutMillis);
    if (relayCloseGraceMillis < 0) throw new IllegalArgumentException("relayCloseGraceMillis must not be negative: " + relayCloseGraceMillis);
    if (maxConcurrentUpgrades < 1) throw new IllegalArgumentException("maxConcurrentUpgrades must be positive: " + maxConcurrentUpgrades);
    if (punchTimeoutMillis <= 0) throw new IllegalArgumentException("punchTimeoutMillis must be positive: " + punchTimeoutMillis);
  }

  public DcutrConfig withAutoStart(boolean on) {
    return new DcutrConfig(maxAttempts, messageTimeoutMillis, relayCloseGraceMillis, maxConcurrentUpgrades, on, punchTimeoutMillis);
  }

  public DcutrConfig withPunchTimeoutMillis(long t) {
    return new DcutrConfig(maxAttempts, messageTimeoutMillis, relayCloseGraceMillis, maxConcurrentUpgrades, autoStart, t);
  }
}
