package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.yamux.YamuxConfig;
import io.netty.channel.DefaultEventLoopGroup;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The transport contract for a connection inside a stream of another connection (a stand-in for
 * circuit relay v2): an outer TCP connection between two other identities carries one stream, and
 * the dialer and listener run the whole upgrade — multistream, Noise, Yamux — inside it, so the
 * inner connection authenticates the inner identities, not the outer ones.
 */
class StreamInStreamContractTest extends TransportContract {
  static final String CARRIER = "/test/carrier/1.0.0";

  @Override CompletableFuture<Pair> connect(StreamRouter router, PeerId expectedPeer) throws Exception {
    PrivKey outerA = Ed25519.fromSeedNumber(11);
    PrivKey outerB = Ed25519.fromSeedNumber(12);
    DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    cleanup.add(() -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    UpgradePipeline dialerStack = stack(dialerKey);
    UpgradePipeline listenerStack = stack(listenerKey);
    CompletableFuture<Connection> inner = new CompletableFuture<>();
    ProtocolHandler carrier = s -> StreamChannel.upgrade(s, false, null, router, listenerStack, loops.next(), NanoClock.SYSTEM)
        .whenComplete((c, e) -> {
          if (e != null) inner.completeExceptionally(e);
          else inner.complete(c);
        });
    StreamRouter outerRouter = new StreamRouter() {
      @Override public List<String> protocols() {
        return List.of(CARRIER);
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return CARRIER.equals(protocolId) ? carrier : null;
      }
    };
    TcpTransport a = new TcpTransport(outerA);
    TcpTransport b = new TcpTransport(outerB);
    cleanup.add(a);
    cleanup.add(b);
    Multiaddr bound = b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return outerRouter;
      }

      @Override public void accepted(Connection connection) {}
    }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    Connection outer = a.dial(bound, null, outerRouter).get(WAIT_SECONDS, TimeUnit.SECONDS);
    return both(outer.newStream(List.of(CARRIER))
        .thenCompose(s -> StreamChannel.upgrade(s, true, expectedPeer, router, dialerStack, loops.next(), NanoClock.SYSTEM)), inner);
  }

  static UpgradePipeline stack(PrivKey key) {
    SecureRandom r = new SecureRandom();
    return UpgradePipeline.noiseYamux(key, X25519KeyPair.generate(r), r, YamuxConfig.DEFAULT, 10_000, 10_000, 20_000, true);
  }
}
