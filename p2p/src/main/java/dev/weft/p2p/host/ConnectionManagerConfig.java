package dev.weft.p2p.host;

/**
 * Limits and trimming policy of a {@link ConnectionManager}.
 *
 * @param maxConnections hard cap on open connections; inbound ones beyond it are closed at once
 *     and outbound dials fail
 * @param maxConnectionsPerPeer hard cap per remote peer (dial reuse keeps it at 1 normally)
 * @param lowWater trimming closes connections down to this many
 * @param highWater trimming starts when more than this many are open
 * @param gracePeriodMillis a connection younger than this is never trimmed (its identify and first
 *     streams get a chance)
 * @param idleTimeoutMillis a connection with no open stream for this long is closed; 0 disables
 * @param checkIntervalMillis how often trimming and idle checks run
 * @param maxInboundStreamsPerConnection a peer with more inbound streams open at once on one
 *     connection is misbehaving: the connection is closed
 * @param shedUnidentifiedWhenFull at {@code maxConnections}, admit a newcomer by closing the
 *     longest-idle connection whose peer never answered identify and has no stream open, rather
 *     than refusing the newcomer (a burst of silent upgraded connections then cannot lock everyone
 *     out until the grace period lets trimming start)
 */
public record ConnectionManagerConfig(
    int maxConnections,
    int maxConnectionsPerPeer,
    int lowWater,
    int highWater,
    long gracePeriodMillis,
    long idleTimeoutMillis,
    long checkIntervalMillis,
    int maxInboundStreamsPerConnection,
    boolean shedUnidentifiedWhenFull) {

  /** Generous defaults for a node: hundreds of peers, idle connections kept for 10 minutes. */
  public static final ConnectionManagerConfig DEFAULT = new ConnectionManagerConfig(
      1024, 4, 160, 192, 20_000, 10 * 60_000, 5_000, 512, true);

  /** As the canonical constructor, shedding unidentified connections when full. */
  public ConnectionManagerConfig(int maxConnections, int maxConnectionsPerPeer, int lowWater, int highWater,
      long gracePeriodMillis, long idleTimeoutMillis, long checkIntervalMillis, int maxInboundStreamsPerConnection) {
    this(maxConnections, maxConnectionsPerPeer, lowWater, highWater, gracePeriodMillis, idleTimeoutMillis,
        checkIntervalMillis, maxInboundStreamsPerConnection, true);
  }

  public ConnectionManagerConfig {
    if (maxConnections <= 0) throw new IllegalArgumentException("maxConnections must be positive");
    if (maxConnectionsPerPeer <= 0) throw new IllegalArgumentException("maxConnectionsPerPeer must be positive");
    if (lowWater < 0 || lowWater > highWater) throw new IllegalArgumentException("need 0 <= lowWater <= highWater");
    if (highWater > maxConnections) throw new IllegalArgumentException("highWater must not exceed maxConnections");
    if (gracePeriodMillis < 0 || idleTimeoutMillis < 0) throw new IllegalArgumentException("negative duration");
    if (checkIntervalMillis <= 0) throw new IllegalArgumentException("checkIntervalMillis must be positive");
    if (maxInboundStreamsPerConnection <= 0) throw new IllegalArgumentException("maxInboundStreamsPerConnection must be positive");
  }

  public ConnectionManagerConfig withWatermarks(int low, int high) {
    return new ConnectionManagerConfig(maxConnections, maxConnectionsPerPeer, low, high, gracePeriodMillis,
        idleTimeoutMillis, checkIntervalMillis, maxInboundStreamsPerConnection, shedUnidentifiedWhenFull);
  }

  public ConnectionManagerConfig withMaxConnections(int total, int perPeer) {
    return new ConnectionManagerConfig(total, perPeer, Math.min(lowWater, total), Math.min(highWater, total),
        gracePeriodMillis, idleTimeoutMillis, checkIntervalMillis, maxInboundStreamsPerConnection, shedUnidentifiedWhenFull);
  }

  public ConnectionManagerConfig withIdleTimeout(long millis) {
    return new ConnectionManagerConfig(maxConnections, maxConnectionsPerPeer, lowWater, highWater, gracePeriodMillis,
        millis, checkIntervalMillis, maxInboundStreamsPerConnection, shedUnidentifiedWhenFull);
  }

  public ConnectionManagerConfig withGracePeriod(long millis) {
    return new ConnectionManagerConfig(maxConnections, maxConnectionsPerPeer, lowWater, highWater, millis,
        idleTimeoutMillis, checkIntervalMillis, maxInboundStreamsPerConnection, shedUnidentifiedWhenFull);
  }

  public ConnectionManagerConfig withMaxInboundStreamsPerConnection(int n) {
    return new ConnectionManagerConfig(maxConnections, maxConnectionsPerPeer, lowWater, highWater, gracePeriodMillis,
        idleTimeoutMillis, checkIntervalMillis, n, shedUnidentifiedWhenFull);
  }

  public ConnectionManagerConfig withShedUnidentifiedWhenFull(boolean shed) {
    return new ConnectionManagerConfig(maxConnections, maxConnectionsPerPeer, lowWater, highWater, gracePeriodMillis,
        idleTimeoutMillis, checkIntervalMillis, maxInboundStreamsPerConnection, shed);
  }
}
