package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multistream.MultistreamHandler;
import dev.weft.p2p.multistream.MultistreamNegotiation;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.yamux.YamuxConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades any duplex byte channel — a TCP socket, a stream inside another connection (the relay
 * case, {@link StreamChannel}), an in-memory pipe — to a secured, multiplexed {@link Connection}
 * (connections/README.md#upgrading-connections):
 *
 * <pre>
 *   multistream-select {security ids} --> security binding (Noise XX)
 *        muxer inlined in the handshake? yes --> muxer binding (Yamux)
 *                                        no  --> multistream-select {muxer ids} --> muxer binding
 * </pre>
 *
 * Security and muxers are {@link UpgradeBinding}s, negotiated by protocol id as application
 * protocols are, so another security or muxer is one more binding in the lists. One deadline
 * covers the whole chain; any failure closes the channel and fails the future. Each stage runs on
 * the channel's event loop. Immutable; one pipeline serves every connection of a transport.
 */
public final class UpgradePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradePipeline.class);

  private final List<SecurityBinding> security;
  private final List<MuxerBinding> muxers;
  private final long negotiationTimeoutMillis;
  private final long upgradeTimeoutMillis;
  private final boolean inlineMuxers;

  /**
   * @param security in our order of preference (what an initiator proposes first)
   * @param muxers likewise
   * @param negotiationTimeoutMillis for each multistream-select round
   * @param upgradeTimeoutMillis for the whole upgrade (a slow-drip peer cannot stretch it)
   * @param inlineMuxers whether security offers our muxers inside its handshake (Noise extensions)
   */
  public UpgradePipeline(List<SecurityBinding> security, List<MuxerBinding> muxers, long negotiationTimeoutMillis,
      long upgradeTimeoutMillis, boolean inlineMuxers) {
    if (security.isEmpty()) throw new IllegalArgumentException("an upgrade needs at least one security binding");
    if (muxers.isEmpty()) throw new IllegalArgumentException("an upgrade needs at least one muxer binding");
    if (negotiationTimeoutMillis <= 0 || upgradeTimeoutMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive: " + negotiationTimeoutMillis + ", " + upgradeTimeoutMillis);
    }
    this.security = List.copyOf(security);
    this.muxers = List.copyOf(muxers);
    this.negotiationTimeoutMillis = negotiationTimeoutMillis;
    this.upgradeTimeoutMillis = upgradeTimeoutMillis;
    this.inlineMuxers = inlineMuxers;
  }

  /** The standard stack: Noise XX, then Yamux (inlined in the handshake when both sides offer it). */
  public static UpgradePipeline noiseYamux(PrivKey identity, X25519KeyPair staticKey, SecureRandom random, YamuxConfig yamux,
      long negotiationTimeoutMillis, long handshakeTimeoutMillis, long upgradeTimeoutMillis, boolean inlineMuxers) {
    return new UpgradePipeline(List.of(new NoiseSecurity(identity, staticKey, random, handshakeTimeoutMillis)),
        List.of(new YamuxMuxer(yamux)), negotiationTimeoutMillis, upgradeTimeoutMillis, inlineMuxers);
  }

  public List<String> securityIds() {
    return security.stream().map(UpgradeBinding::protocolId).toList();
  }

  public List<String> muxerIds() {
    return muxers.stream().map(UpgradeBinding::protocolId).toList();
  }

  /**
   * Starts upgrading {@code channel}: call before it is active, or on its event loop. The future
   * completes on the event loop with the connection, or fails (the channel is then closed).
   */
  public CompletableFuture<Connection> upgrade(Channel channel, boolean initiator, PeerId expectedPeer, StreamRouter router,
      Supplier<Multiaddr> localAddress, Supplier<Multiaddr> remoteAddress, NanoClock clock) {
    return upgrade(channel, initiator, expectedPeer, router, localAddress, remoteAddress, clock, null);
  }

  /**
   * As {@link #upgrade(Channel, boolean, PeerId, StreamRouter, Supplier, Supplier, NanoClock)},
   * with the muxer charging what it buffers for handlers to {@code resources} (null: not) from its
   * first frame on.
   */
  public CompletableFuture<Connection> upgrade(Channel channel, boolean initiator, PeerId expectedPeer, StreamRouter router,
      Supplier<Multiaddr> localAddress, Supplier<Multiaddr> remoteAddress, NanoClock clock, ResourceManager resources) {
    UpgradeRequest request = new UpgradeRequest(initiator, expectedPeer, null, router, localAddress, remoteAddress,
        inlineMuxers ? muxerIds() : List.of(), clock, resources);
    Run run = new Run(channel, request);
    run.start();
    return run.result;
  }

  /** One channel's upgrade. */
  private final class Run {
    final Channel channel;
    final UpgradeRequest request;
    final CompletableFuture<Connection> result = new CompletableFuture<>();
    ScheduledFuture<?> deadline;

    Run(Channel channel, UpgradeRequest request) {
      this.channel = channel;
      this.request = request;
    }

    void start() {
      deadline = channel.eventLoop().schedule(
          () -> fail(new TimeoutException("connection upgrade took longer than " + upgradeTimeoutMillis + " ms")),
          upgradeTimeoutMillis, TimeUnit.MILLISECONDS);
      channel.closeFuture().addListener(f -> fail(new IllegalStateException("connection closed during upgrade")));
      negotiate(null, "mss-security", security, this::onSecurity);
    }

    private <B extends UpgradeBinding<?>> void negotiate(String after, String name, List<B> bindings, Selected<B> then) {
      List<String> ids = bindings.stream().map(UpgradeBinding::protocolId).toList();
      MultistreamNegotiation n = request.initiator() ? MultistreamNegotiation.initiator(ids) : MultistreamNegotiation.responder(ids::contains);
      MultistreamHandler h = new MultistreamHandler(n, negotiationTimeoutMillis, new MultistreamHandler.Listener() {
        @Override public void selected(ChannelHandlerContext ctx, String protocol) {
          for (B b : bindings) {
            if (b.protocolId().equals(protocol)) {
              then.run(ctx.name(), b);
              return;
            }
          }
          fail(new IllegalStateException("negotiated " + protocol + ", which no binding serves"));
        }

        @Override public void failed(ChannelHandlerContext ctx, Throwable cause) {
          fail(cause);
        }
      });
      if (after == null) channel.pipeline().addLast(name, h);
      else channel.pipeline().addAfter(after, name, h);
    }

    private void onSecurity(String after, SecurityBinding binding) {
      CompletableFuture<SecurityBinding.Secured> secured = new CompletableFuture<>();
      secured.whenComplete((s, e) -> {
        if (e != null) fail(e);
        else onSecured(s);
      });
      binding.install(channel.pipeline(), after, request, secured);
    }

    private void onSecured(SecurityBinding.Secured s) {
      UpgradeRequest secured = request.secured(s.remotePeer());
      List<String> theirs = s.remoteMuxers();
      if (!theirs.isEmpty() && !request.handshakeMuxers().isEmpty()) {
        // Inlined negotiation: the initiator's first muxer that the responder supports.
        List<String> first = request.initiator() ? muxerIds() : theirs;
        List<String> second = request.initiator() ? theirs : muxerIds();
        for (String id : first) {
          if (second.contains(id)) {
            onMuxer(s.lastHandler(), bindingFor(id), secured);
            return;
          }
        }
        fail(new IllegalStateException("no common stream muxer in the handshake: remote offers " + theirs + ", we " + muxerIds()));
        return;
      }
      negotiate(s.lastHandler(), "mss-muxer", muxers, (after, b) -> onMuxer(after, b, secured));
    }

    private MuxerBinding bindingFor(String id) {
      for (MuxerBinding b : muxers) if (b.protocolId().equals(id)) return b;
      throw new IllegalStateException(id);
    }

    private void onMuxer(String after, MuxerBinding binding, UpgradeRequest secured) {
      if (result.isDone()) return;
      CompletableFuture<Connection> muxed = new CompletableFuture<>();
      muxed.whenComplete((c, e) -> {
        if (e != null) {
          fail(e);
          return;
        }
        deadline.cancel(false);
        if (!result.complete(c)) c.close();
      });
      binding.install(channel.pipeline(), after, secured, muxed);
    }

    void fail(Throwable cause) {
      if (result.isDone()) return;
      if (deadline != null) deadline.cancel(false);
      LOG.debug("upgrade of {} ({}) failed: {}", channel, request.initiator() ? "outbound" : "inbound", cause.getMessage());
      result.completeExceptionally(cause);
      channel.close();
    }
  }

  @FunctionalInterface
  private interface Selected<B> {
    void run(String after, B binding);
  }

  @Override public String toString() {
    List<String> all = new ArrayList<>(securityIds());
    all.addAll(muxerIds());
    return "UpgradePipeline" + all;
  }
}
