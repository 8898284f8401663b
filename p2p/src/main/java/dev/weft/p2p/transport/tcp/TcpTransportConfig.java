package dev.weft.p2p.transport.tcp;

import dev.weft.p2p.multistream.MultistreamHandler;
import dev.weft.p2p.noise.NoiseHandshakeHandler;
import dev.weft.p2p.yamux.YamuxConfig;

/**
 * Timeouts and limits of the TCP transport.
 *
 * @param connectTimeoutMillis TCP connect
 * @param negotiationTimeoutMillis each multistream-select round of the upgrade
 * @param handshakeTimeoutMillis the Noise handshake
 * @param upgradeTimeoutMillis the whole upgrade, connect to Yamux (a slow-drip peer cannot stretch
 *     each step to just under its own timeout)
 * @param maxPendingInbound inbound connections still upgrading, when the transport runs without a
 *     host's {@link dev.weft.p2p.resource.ResourceManager} (a host's
 *     {@link dev.weft.p2p.resource.ResourceLimits} govern it otherwise, with per-source shares)
 * @param ioThreads event loop threads when the transport creates its own group (0: Netty default)
 * @param yamux the muxer's windows and limits
 * @param reusePort listen with SO_REUSEADDR + SO_REUSEPORT and let dials leave from the listen
 *     port, so that a NAT maps our outbound connections to the port peers were told to dial (what
 *     hole punching needs). Only where the platform has SO_REUSEPORT (Linux, BSDs, macOS); off
 *     elsewhere whatever this says. Costs: another process of the same user may bind the same port
 *     without an error (the kernel then splits inbound connections between them)
 */
public record TcpTransportConfig(long connectTimeoutMillis, long negotiationTimeoutMillis, long handshakeTimeoutMillis,
    long upgradeTimeoutMillis, int maxPendingInbound, int ioThreads, YamuxConfig yamux, boolean reusePort) {
  public static final TcpTransportConfig DEFAULT = new TcpTransportConfig(10_000, MultistreamHandler.DEFAULT_TIMEOUT_MILLIS,
      NoiseHandshakeHandler.DEFAULT_TIMEOUT_MILLIS, 20_000, 256, 0, YamuxConfig.DEFAULT, true);

  public TcpTransportConfig {
    if (connectTimeoutMillis <= 0 || negotiationTimeoutMillis <= 0 || handshakeTimeoutMillis <= 0 || upgradeTimeoutMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxPendingInbound < 1) throw new IllegalArgumentException("maxPendingInbound must be positive");
    if (ioThreads < 0) throw new IllegalArgumentException("ioThreads must not be negative");
    if (yamux == null) throw new IllegalArgumentException("yamux config required");
  }

  public TcpTransportConfig withYamux(YamuxConfig y) {
    return new TcpTransportConfig(connectTimeoutMillis, negotiationTimeoutMillis, handshakeTimeoutMillis, upgradeTimeoutMillis, maxPendingInbound, ioThreads, y, reusePort);
  }

  public TcpTransportConfig withUpgradeTimeoutMillis(long t) {
    return new TcpTransportConfig(connectTimeoutMillis, negotiationTimeoutMillis, t, t, maxPendingInbound, ioThreads, yamux, reusePort);
  }

  public TcpTransportConfig withMaxPendingInbound(int n) {
    return new TcpTransportConfig(connectTimeoutMillis, negotiationTimeoutMillis, handshakeTimeoutMillis, upgradeTimeoutMillis, n, ioThreads, yamux, reusePort);
  }

  public TcpTransportConfig withIoThreads(int n) {
    return new TcpTransportConfig(connectTimeoutMillis, negotiationTimeoutMillis, handshakeTimeoutMillis, upgradeTimeoutMillis, maxPendingInbound, n, yamux, reusePort);
  }

  public TcpTransportConfig withReusePort(boolean on) {
    return new TcpTransportConfig(connectTimeoutMillis, negotiationTimeoutMillis, handshakeTimeoutMillis, upgradeTimeoutMillis, maxPendingInbound, ioThreads, yamux, on);
  }
}
