package dev.weft.p2p.transport.tcp;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.upgrade.UpgradePipeline;
import dev.weft.p2p.yamux.YamuxFrame;
import dev.weft.p2p.yamux.YamuxSession;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Upgrades one raw TCP channel to a {@link YamuxSession} with the standard {@link UpgradePipeline}
 * (multistream-select, Noise XX, Yamux inlined or negotiated), naming the connection's ends by the
 * socket's addresses. The pipeline does the work; this only binds it to a TCP channel.
 */
final class ConnectionUpgrader {
  static final List<String> OUR_MUXERS = List.of(YamuxFrame.PROTOCOL_ID);

  private final Channel channel;
  private final boolean initiator;
  private final PeerId expectedPeer;
  private final StreamRouter router;
  private final UpgradePipeline pipeline;
  private final CompletableFuture<YamuxSession> result = new CompletableFuture<>();

  ConnectionUpgrader(Channel channel, boolean initiator, PrivKey identity, X25519KeyPair staticKey, SecureRandom random,
      PeerId expectedPeer, StreamRouter router, TcpTransportConfig config, boolean inlineMuxer) {
    this.channel = channel;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
    this.router = router;
    this.pipeline = UpgradePipeline.noiseYamux(identity, staticKey, random, config.yamux(), config.negotiationTimeoutMillis(),
        config.handshakeTimeoutMillis(), config.upgradeTimeoutMillis(), inlineMuxer);
  }

  CompletableFuture<YamuxSession> result() {
    return result;
  }

  /** Installs the first stage; call before the channel is active (or on its event loop). */
  void start() {
    pipeline.upgrade(channel, initiator, expectedPeer, router,
        () -> Multiaddr.tcp((InetSocketAddress) channel.localAddress()),
        () -> Multiaddr.tcp((InetSocketAddress) channel.remoteAddress()),
        NanoClock.SYSTEM).whenComplete((c, e) -> {
          if (e != null) result.completeExceptionally(e);
          else result.complete((YamuxSession) c);
        });
  }
}
