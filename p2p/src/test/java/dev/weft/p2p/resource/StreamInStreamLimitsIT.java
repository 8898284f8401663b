package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.upgrade.StreamChannel;
import dev.weft.p2p.upgrade.UpgradePipeline;
import dev.weft.p2p.yamux.YamuxConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resource manager's stream and buffer limits on a connection inside a stream of another
 * connection (what circuit relay v2 makes): a server host accepts a carrier stream over loopback
 * TCP from one identity, runs multistream, Noise and Yamux inside it as the relay client does, and
 * adopts the inner connection, authenticated as a second identity. That inner peer gets the
 * per-protocol stream share and the per-peer buffer share a TCP peer gets, and with the old
 * limits the same peer holds everything it asks for.
 */
@Timeout(60)
class StreamInStreamLimitsIT {
  static final String CARRIER = "/weft-test/carrier/1.0.0";
  static final String HOLD = "/weft-test/hold/1.0.0";
  static final String SINK = "/weft-test/sink/1.0.0";
  static final PrivKey OUTER = Ed25519.fromSeedNumber(20);
  static final PrivKey INNER = Ed25519.fromSeedNumber(21);
  static final PeerId INNER_PEER = PeerId.fromPublicKey(INNER.publicKey());

  final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
  final List<AutoCloseable> cleanup = new ArrayList<>();
  final List<Stream> serverStreams = new CopyOnWriteArrayList<>();
  BasicHost server;

  @AfterEach void close() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  static UpgradePipeline stack(PrivKey key) {
    SecureRandom r = new SecureRandom();
    return UpgradePipeline.noiseYamux(key, X25519KeyPair.generate(r), r, YamuxConfig.DEFAULT, 10_000, 10_000, 20_000, true);
  }

  /** A service that upgrades each carrier stream and adopts the connection inside, as the relay client does a stop stream. */
  final class Carrier {
    Carrier(ServiceContext ctx) {
      UpgradePipeline pipeline = stack(ctx.host().privateKey());
      StreamRouter router = new StreamRouter() {
        @Override public List<String> protocols() {
          return ctx.host().protocols();
        }

        @Override public ProtocolHandler handler(String protocolId) {
          return ctx.inboundHandler(protocolId);
        }
      };
      ctx.host().setStreamHandler(CARRIER, s -> StreamChannel.upgrade(s, false, null, router, pipeline, loops.next(), NanoClock.SYSTEM)
          .thenAccept(ctx::adopt));
    }
  }

  /** Starts the server with {@code limits}; returns the connection inside a carrier stream to it, as {@link #INNER}. */
  private Connection innerConnection(ResourceLimits limits) throws Exception {
    server = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new).resourceLimits(limits)
        .listen("/ip4/127.0.0.1/tcp/0").buildWithServices().host();
    cleanup.add(server);
    server.install(Carrier::new);
    server.setStreamHandler(HOLD, s -> {
      serverStreams.add(s);
      s.write(Unpooled.wrappedBuffer(new byte[] {1}));
    });
    // SINK never reads: what arrives stays buffered in the inner muxer, charged to the inner peer.
    server.setStreamHandler(SINK, serverStreams::add);
    server.start().join();
    Multiaddr addr = server.listenAddresses().get(0).withPeerId(server.peerId());
    TcpTransport outer = new TcpTransport(OUTER);
    cleanup.add(outer);
    StreamRouter none = new StreamRouter() {
      @Override public List<String> protocols() {
        return List.of();
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return null;
      }
    };
    Connection toServer = outer.dial(addr, server.peerId(), none).get(10, TimeUnit.SECONDS);
    Stream carrier = toServer.newStream(List.of(CARRIER)).get(10, TimeUnit.SECONDS);
    Connection inner = StreamChannel.upgrade(carrier, true, server.peerId(), none, stack(INNER), loops.next(), NanoClock.SYSTEM)
        .get(10, TimeUnit.SECONDS);
    cleanup.add(() -> inner.close());
    assertThat(inner.remotePeer()).isEqualTo(server.peerId());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.connections(INNER_PEER).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(server.connections(INNER_PEER)).as("the server adopted the inner connection").hasSize(1);
    assertThat(server.connections(INNER_PEER).get(0).localAddress().toString()).endsWith("/p2p-circuit");
    return inner;
  }

  /** Opens a HOLD stream; true if the server admitted it (sent its byte), false if it reset it. */
  private static boolean holdStream(Connection c, List<Stream> keep) throws Exception {
    Stream s = c.newStream(List.of(HOLD)).get(10, TimeUnit.SECONDS);
    CompletableFuture<Boolean> answered = new CompletableFuture<>();
    s.setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {
        answered.complete(true);
      }

      @Override public void onClosed(Stream stream, Throwable cause) {
        answered.complete(false);
      }
    });
    boolean ok = answered.get(10, TimeUnit.SECONDS);
    if (ok) keep.add(s);
    return ok;
  }

  @Test void thePerProtocolStreamLimitHoldsInsideAStream() throws Exception {
    Connection inner = innerConnection(ResourceLimits.DEFAULT.withStreamLimits(64, 2, 1024));
    List<Stream> kept = new ArrayList<>();
    List<Boolean> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) admitted.add(holdStream(inner, kept));
    assertThat(admitted).containsExactly(true, true, false);
    assertThat(server.resourceManager().snapshot().refusedStreams()).isEqualTo(1);
    kept.get(0).reset();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    // Three streams reserved: the carrier and two HOLDs; the reset one is given back.
    while (server.resourceManager().snapshot().streams() > 2 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(holdStream(inner, kept)).as("a released stream can be taken again").isTrue();
  }

  @Test void withAHigherLimitTheThirdStreamIsAdmitted() throws Exception {
    Connection inner = innerConnection(ResourceLimits.DEFAULT.withStreamLimits(64, 100, 1024));
    List<Stream> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) assertThat(holdStream(inner, kept)).as("stream " + i).isTrue();
  }

  /** Sends a window's worth (256 KiB) on each of six SINK streams. */
  private static List<Stream> fillSinks(Connection c) throws Exception {
    List<Stream> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Stream s = c.newStream(List.of(SINK)).get(10, TimeUnit.SECONDS);
      s.setHandler((stream, data) -> {});
      s.write(Unpooled.wrappedBuffer(new byte[256 * 1024]));
      out.add(s);
    }
    return out;
  }

  private long settledBufferedByInnerPeer() throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 200; i++) {
      long now = server.resourceManager().bufferedBy(INNER_PEER);
      if (now == last && now > 0) return now;
      last = now;
      Thread.sleep(50);
    }
    return last;
  }

  @Test void bytesBufferedInsideAStreamCountAgainstTheInnerPeersShare() throws Exception {
    long perPeer = 1024 * 1024;
    Connection inner = innerConnection(ResourceLimits.DEFAULT.withBufferLimits(perPeer, 64L << 20, 256L << 20));
    List<Stream> sinks = fillSinks(inner);
    long held = settledBufferedByInnerPeer();
    assertThat(held).as("charged to the inner peer, at most its share").isLessThanOrEqualTo(perPeer).isGreaterThan(perPeer / 2);
    assertThat(server.resourceManager().snapshot().refusedBufferBytes()).isPositive();
    assertThat(sinks.stream().filter(s -> s.closeFuture().isDone())).as("streams reset for passing the share").isNotEmpty();
    for (Stream s : sinks) s.reset();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.resourceManager().snapshot().bufferedBytes() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(server.resourceManager().snapshot().bufferedBytes()).as("nothing left charged").isZero();
  }

  @Test void withTheOldLimitsTheInnerPeerBuffersEverythingItSends() throws Exception {
    Connection inner = innerConnection(ResourceLimits.legacy());
    fillSinks(inner);
    long expected = 6 * 256 * 1024 - 6 * 64;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.resourceManager().bufferedBy(INNER_PEER) < expected && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(server.resourceManager().bufferedBy(INNER_PEER)).isGreaterThan(expected).isGreaterThan(1024 * 1024);
  }
}
