package dev.weft.p2p.resource;

import java.util.List;

/**
 * Every limit the {@link ResourceManager} enforces, in one validated record. The defaults
 * ({@link #DEFAULT}) are sized for a volunteer node: a few hundred peers, a few hundred MiB of
 * buffers at most, and no single source address able to take more than a small share of what a
 * stranger can make us hold. docs/p2p-resources.md explains each value.
 *
 * <p>"Subnet" is the /24 of an IPv4 source and the /48 of an IPv6 source (IPv4-mapped IPv6
 * addresses count as IPv4): the block one ISP customer or one cloud tenant typically holds.
 *
 * @param maxConnections connections held at the transport, upgrading and upgraded together
 * @param maxPendingInbound inbound connections still in their handshake (multistream, Noise, muxer)
 * @param maxPendingPerIp handshaking connections from one source address
 * @param maxPendingPerSubnet handshaking connections from one /24 or /48
 * @param maxConnectionsPerIp connections (any state) from one source address
 * @param maxConnectionsPerSubnet connections (any state) from one /24 or /48
 * @param maxConnectionsPerPeer upgraded connections authenticated as one peer id
 * @param maxStreamsPerConnection inbound streams open at once on one connection
 * @param maxStreamsPerProtocol inbound streams open at once for one protocol, host-wide
 * @param maxStreamsPerPeer inbound streams open at once from one peer, all its connections
 * @param maxBufferedPerPeer bytes received from one peer and held until a handler reads them
 * @param maxBufferedPerProtocol such bytes for one protocol, all peers
 * @param maxBufferedTotal such bytes host-wide
 * @param handshakeTimeoutMillis how long a handshaking connection may take while pending slots are plentiful
 * @param handshakeTimeoutUnderPressureMillis how long it may take once more than
 *     {@code pressureThreshold} of the pending slots are taken: slow or silent peers are cut sooner
 *     exactly when they are crowding others out
 * @param pressureThreshold fraction (0, 1] of {@code maxPendingInbound} above which the short deadline applies
 * @param shedWhenFull when the pending or connection total is reached, close the oldest handshaking
 *     connection of the subnet holding the most (or, failing that, the oldest idle unidentified
 *     connection) to make room, instead of refusing the newcomer
 * @param allowlist source address blocks exempt from the four per-source shares
 *     ({@code maxPendingPerIp}, {@code maxPendingPerSubnet}, {@code maxConnectionsPerIp},
 *     {@code maxConnectionsPerSubnet}); every other limit — the totals, per peer, streams, buffers,
 *     deadlines, shedding — still applies to them. Empty by default: meant for loopback testnets
 *     ({@link AddressPrefix#LOOPBACK}), where every node reaches every other from 127.0.0.1 and
 *     one node's share would be a whole testnet's. At most {@value #MAX_ALLOWLIST} entries.
 */
public record ResourceLimits(
    int maxConnections,
    int maxPendingInbound,
    int maxPendingPerIp,
    int maxPendingPerSubnet,
    int maxConnectionsPerIp,
    int maxConnectionsPerSubnet,
    int maxConnectionsPerPeer,
    int maxStreamsPerConnection,
    int maxStreamsPerProtocol,
    int maxStreamsPerPeer,
    long maxBufferedPerPeer,
    long maxBufferedPerProtocol,
    long maxBufferedTotal,
    long handshakeTimeoutMillis,
    long handshakeTimeoutUnderPressureMillis,
    double pressureThreshold,
    boolean shedWhenFull,
    List<AddressPrefix> allowlist) {

  private static final long MIB = 1024L * 1024;
  /** Entries an allowlist may have: it is scanned on every accept, and a long one is a mistake. */
  public static final int MAX_ALLOWLIST = 64;

  /** Defaults; see docs/p2p-resources.md for why each is what it is. */
  public static final ResourceLimits DEFAULT = new ResourceLimits(
      1280, 256, 8, 32,
      64, 128, 4,
      512, 4096, 1024,
      32 * MIB, 128 * MIB, 256 * MIB,
      10_000, 2_000, 0.5,
      true, List.of());

  public ResourceLimits {
    positive("maxConnections", maxConnections);
    positive("maxPendingInbound", maxPendingInbound);
    positive("maxPendingPerIp", maxPendingPerIp);
    positive("maxPendingPerSubnet", maxPendingPerSubnet);
    positive("maxConnectionsPerIp", maxConnectionsPerIp);
    positive("maxConnectionsPerSubnet", maxConnectionsPerSubnet);
    positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
    positive("maxStreamsPerConnection", maxStreamsPerConnection);
    positive("maxStreamsPerProtocol", maxStreamsPerProtocol);
    positive("maxStreamsPerPeer", maxStreamsPerPeer);
    positive("maxBufferedPerPeer", maxBufferedPerPeer);
    positive("maxBufferedPerProtocol", maxBufferedPerProtocol);
    positive("maxBufferedTotal", maxBufferedTotal);
    positive("handshakeTimeoutMillis", handshakeTimeoutMillis);
    positive("handshakeTimeoutUnderPressureMillis", handshakeTimeoutUnderPressureMillis);
    if (maxPendingInbound > maxConnections) throw new IllegalArgumentException("maxPendingInbound must not exceed maxConnections");
    if (maxPendingPerIp > maxPendingPerSubnet) throw new IllegalArgumentException("maxPendingPerIp must not exceed maxPendingPerSubnet");
    if (maxPendingPerSubnet > maxPendingInbound) throw new IllegalArgumentException("maxPendingPerSubnet must not exceed maxPendingInbound");
    if (maxConnectionsPerIp > maxConnectionsPerSubnet) throw new IllegalArgumentException("maxConnectionsPerIp must not exceed maxConnectionsPerSubnet");
    if (maxConnectionsPerSubnet > maxConnections) throw new IllegalArgumentException("maxConnectionsPerSubnet must not exceed maxConnections");
    if (maxPendingPerIp > maxConnectionsPerIp) throw new IllegalArgumentException("maxPendingPerIp must not exceed maxConnectionsPerIp");
    if (maxBufferedPerPeer > maxBufferedTotal || maxBufferedPerProtocol > maxBufferedTotal) {
      throw new IllegalArgumentException("per-peer and per-protocol buffer limits must not exceed maxBufferedTotal");
    }
    if (handshakeTimeoutUnderPressureMillis > handshakeTimeoutMillis) {
      throw new IllegalArgumentException("handshakeTimeoutUnderPressureMillis must not exceed handshakeTimeoutMillis");
    }
    if (!(pressureThreshold > 0 && pressureThreshold <= 1)) throw new IllegalArgumentException("pressureThreshold must be in (0, 1]");
    if (allowlist == null) throw new IllegalArgumentException("allowlist must not be null (empty: none)");
    allowlist = List.copyOf(allowlist);
    if (allowlist.size() > MAX_ALLOWLIST) {
      throw new IllegalArgumentException("allowlist has " + allowlist.size() + " entries, at most " + MAX_ALLOWLIST);
    }
  }

  /** The limits as before the allowlist existed: none. */
  public ResourceLimits(int maxConnections, int maxPendingInbound, int maxPendingPerIp, int maxPendingPerSubnet,
      int maxConnectionsPerIp, int maxConnectionsPerSubnet, int maxConnectionsPerPeer, int maxStreamsPerConnection,
      int maxStreamsPerProtocol, int maxStreamsPerPeer, long maxBufferedPerPeer, long maxBufferedPerProtocol,
      long maxBufferedTotal, long handshakeTimeoutMillis, long handshakeTimeoutUnderPressureMillis, double pressureThreshold,
      boolean shedWhenFull) {
    this(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp, maxConnectionsPerSubnet,
        maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer, maxBufferedPerPeer,
        maxBufferedPerProtocol, maxBufferedTotal, handshakeTimeoutMillis, handshakeTimeoutUnderPressureMillis,
        pressureThreshold, shedWhenFull, List.of());
  }

  /** Whether {@code source} is exempt from the per-source shares ({@link #allowlist}). */
  public boolean allowlisted(java.net.InetAddress source) {
    for (AddressPrefix p : allowlist) if (p.contains(source)) return true;
    return false;
  }

  /** These limits with {@code prefixes} (CIDR, as {@code 127.0.0.0/8}) as the allowlist; none to clear it. */
  public ResourceLimits withAllowlist(String... prefixes) {
    List<AddressPrefix> parsed = new java.util.ArrayList<>();
    for (String p : prefixes) parsed.add(AddressPrefix.parse(p));
    return withAllowlist(parsed);
  }

  public ResourceLimits withAllowlist(List<AddressPrefix> prefixes) {
    return new ResourceLimits(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer,
        maxBufferedPerPeer, maxBufferedPerProtocol, maxBufferedTotal, handshakeTimeoutMillis,
        handshakeTimeoutUnderPressureMillis, pressureThreshold, shedWhenFull, prefixes);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
  }

  /**
   * The limits weft had before the resource manager (256 pending handshakes, 10 s each, no share
   * per source, nothing shed): kept so tests can show the attacks they defend against succeed
   * without the defence.
   */
  public static ResourceLimits legacy() {
    return new ResourceLimits(100_000, 256, 256, 256, 100_000, 100_000, 100_000,
        DEFAULT.maxStreamsPerConnection, 100_000, 100_000,
        1L << 40, 1L << 40, 1L << 40,
        10_000, 10_000, 1.0, false);
  }

  /** Caps the pending total, shrinking the per-source shares to fit. */
  public ResourceLimits withMaxPendingInbound(int n) {
    int subnet = Math.min(maxPendingPerSubnet, n);
    return new ResourceLimits(Math.max(maxConnections, n), n, Math.min(maxPendingPerIp, subnet), subnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer,
        maxBufferedPerPeer, maxBufferedPerProtocol, maxBufferedTotal, handshakeTimeoutMillis,
        handshakeTimeoutUnderPressureMillis, pressureThreshold, shedWhenFull, allowlist);
  }

  public ResourceLimits withPendingShares(int perIp, int perSubnet) {
    return new ResourceLimits(maxConnections, maxPendingInbound, perIp, perSubnet, Math.max(perIp, maxConnectionsPerIp),
        Math.max(Math.max(perIp, maxConnectionsPerIp), maxConnectionsPerSubnet), maxConnectionsPerPeer, maxStreamsPerConnection,
        maxStreamsPerProtocol, maxStreamsPerPeer, maxBufferedPerPeer, maxBufferedPerProtocol, maxBufferedTotal,
        handshakeTimeoutMillis, handshakeTimeoutUnderPressureMillis, pressureThreshold, shedWhenFull, allowlist);
  }

  public ResourceLimits withConnectionLimits(int total, int perIp, int perSubnet, int perPeer) {
    return new ResourceLimits(total, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, perIp, perSubnet, perPeer,
        maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer, maxBufferedPerPeer, maxBufferedPerProtocol,
        maxBufferedTotal, handshakeTimeoutMillis, handshakeTimeoutUnderPressureMillis, pressureThreshold, shedWhenFull, allowlist);
  }

  public ResourceLimits withStreamLimits(int perConnection, int perProtocol, int perPeer) {
    return new ResourceLimits(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, perConnection, perProtocol, perPeer, maxBufferedPerPeer,
        maxBufferedPerProtocol, maxBufferedTotal, handshakeTimeoutMillis, handshakeTimeoutUnderPressureMillis,
        pressureThreshold, shedWhenFull, allowlist);
  }

  public ResourceLimits withBufferLimits(long perPeer, long perProtocol, long total) {
    return new ResourceLimits(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer,
        perPeer, perProtocol, total, handshakeTimeoutMillis, handshakeTimeoutUnderPressureMillis, pressureThreshold,
        shedWhenFull, allowlist);
  }

  public ResourceLimits withHandshakeTimeouts(long idleMillis, long underPressureMillis, double threshold) {
    return new ResourceLimits(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer,
        maxBufferedPerPeer, maxBufferedPerProtocol, maxBufferedTotal, idleMillis, underPressureMillis, threshold,
        shedWhenFull, allowlist);
  }

  public ResourceLimits withShedWhenFull(boolean shed) {
    return new ResourceLimits(maxConnections, maxPendingInbound, maxPendingPerIp, maxPendingPerSubnet, maxConnectionsPerIp,
        maxConnectionsPerSubnet, maxConnectionsPerPeer, maxStreamsPerConnection, maxStreamsPerProtocol, maxStreamsPerPeer,
        maxBufferedPerPeer, maxBufferedPerProtocol, maxBufferedTotal, handshakeTimeoutMillis,
        handshakeTimeoutUnderPressureMillis, pressureThreshold, shed, allowlist);
  }

  /** The handshake deadline that applies when {@code pending} connections are handshaking. */
  public long handshakeTimeoutAt(int pending) {
    return pending > pressureThreshold * maxPendingInbound ? handshakeTimeoutUnderPressureMillis : handshakeTimeoutMillis;
  }
}
