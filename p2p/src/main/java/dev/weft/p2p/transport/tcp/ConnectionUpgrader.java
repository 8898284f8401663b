package dev.weft.p2p.transport.tcp;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multistream.MultistreamHandler;
import dev.weft.p2p.multistream.MultistreamNegotiation;
import dev.weft.p2p.noise.NoiseHandshake;
import dev.weft.p2p.noise.NoiseHandshakeHandler;
import dev.weft.p2p.noise.NoiseSession;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.yamux.YamuxFrame;
import dev.weft.p2p.yamux.YamuxSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades one raw TCP channel to a {@link YamuxSession} (connections/README.md#upgrading-connections):
 *
 * <pre>
 *   multistream-select "/noise" --> Noise XX (both list /yamux/1.0.0 in stream_muxers?)
 *        yes --> Yamux                       (inlined muxer negotiation)
 *        no  --> multistream-select "/yamux/1.0.0" --> Yamux
 * </pre>
 *
 * Each stage installs the next one behind itself in the pipeline. A deadline covers the whole
 * chain; any failure closes the channel and fails {@link #result()}. Runs on the channel's event
 * loop.
 */
final class ConnectionUpgrader {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);
  static final List<String> OUR_MUXERS = List.of(YamuxFrame.PROTOCOL_ID);

  private final Channel channel;
  private final boolean initiator;
  private final PrivKey identity;
  private final X25519KeyPair staticKey;
  private final SecureRandom random;
  private final PeerId expectedPeer;
  private final StreamRouter router;
  private final TcpTransportConfig config;
  private final List<String> handshakeMuxers;
  private final CompletableFuture<YamuxSession> result = new CompletableFuture<>();
  private ScheduledFuture<?> deadline;

  ConnectionUpgrader(Channel channel, boolean initiator, PrivKey identity, X25519KeyPair staticKey, SecureRandom random,
      PeerId expectedPeer, StreamRouter router, TcpTransportConfig config, boolean inlineMuxer) {
    this.channel = channel;
    this.initiator = initiator;
    this.identity = identity;
    this.staticKey = staticKey;
    this.random = random;
    this.expectedPeer = expectedPeer;
    this.router = router;
    this.config = config;
    this.handshakeMuxers = inlineMuxer ? OUR_MUXERS : List.of();
  }

  CompletableFuture<YamuxSession> result() {
    return result;
  }

  /** Installs the first stage; call before the channel is active (or on its event loop). */
  void start() {
    deadline = channel.eventLoop().schedule(
        () -> fail(new java.util.concurrent.TimeoutException("connection upgrade took longer than " + config.upgradeTimeoutMillis() + " ms")),
        config.upgradeTimeoutMillis(), TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> fail(new IllegalStateException("connection closed during upgrade")));
    MultistreamNegotiation n = initiator
        ? MultistreamNegotiation.initiator(List.of(NoiseHandshake.PROTOCOL_ID))
        : MultistreamNegotiation.responder(NoiseHandshake.PROTOCOL_ID::equals);
    channel.pipeline().addLast("mss-security", new MultistreamHandler(n, config.negotiationTimeoutMillis(), new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {
        NoiseHandshake hs = new NoiseHandshake(initiator, identity, staticKey, random, handshakeMuxers, expectedPeer, Keys::unmarshalPublicKey);
        ctx.pipeline().addAfter(ctx.name(), "noise-handshake", new NoiseHandshakeHandler(hs, config.handshakeTimeoutMillis(), new NoiseHandshakeHandler.Listener() {
          @Override public void secured(ChannelHandlerContext c, NoiseSession session) {
            onSecured(session);
          }

          @Override public void failed(ChannelHandlerContext c, Throwable cause) {
            fail(cause);
          }
        }));
      }

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
      }
    }));
  }

  private void onSecured(NoiseSession session) {
    List<String> theirs = session.remoteMuxers();
    if (!theirs.isEmpty() && !handshakeMuxers.isEmpty()) {
      // Inlined negotiation: the initiator's first muxer the responder supports; we offer yamux only.
      if (!theirs.contains(YamuxFrame.PROTOCOL_ID)) {
        fail(new IllegalStateException("no common stream muxer in the handshake: remote offers " + theirs));
        return;
      }
      installYamux("noise-encoder", session.remotePeer());
      return;
    }
    MultistreamNegotiation n = initiator
        ? MultistreamNegotiation.initiator(OUR_MUXERS)
        : MultistreamNegotiation.responder(YamuxFrame.PROTOCOL_ID::equals);
    channel.pipeline().addAfter("noise-encoder", "mss-muxer", new MultistreamHandler(n, config.negotiationTimeoutMillis(), new MultistreamHandler.Listener() {
      @Override public void selected(ChannelHandlerContext ctx, String protocol) {
        installYamux(ctx.name(), session.remotePeer());
      }

      @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
      }
    }));
  }

  private void installYamux(String after, PeerId remote) {
    if (result.isDone()) return;
    Multiaddr local = Multiaddr.tcp((InetSocketAddress) channel.localAddress());
    Multiaddr remoteAddr = Multiaddr.tcp((InetSocketAddress) channel.remoteAddress());
    YamuxSession session = new YamuxSession(config.yamux(), initiator, remote, local, remoteAddr, router);
    channel.pipeline().addAfter(after, "yamux", session);
    deadline.cancel(false);
    result.complete(session);
  }

  private void fail(Throwable cause) {
    if (result.isDone()) return;
    if (deadline != null) deadline.cancel(false);
    LOG.debug("upgrade of {} ({}) failed: {}", channel, initiator ? "outbound" : "inbound", cause.getMessage());
    result.completeExceptionally(cause);
    channel.close();
  }
}
