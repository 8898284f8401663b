package dev.weft.p2p.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.SimScheduler;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MemoryTransportTest {
  static final PeerId A = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  static final PeerId B = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
  static final PeerId C = PeerId.fromPublicKey(Ed25519.fromSeedNumber(3).publicKey());

  /** Echoes everything on /echo and closes when the remote does. */
  static final ProtocolHandler ECHO = s -> s.setHandler(new StreamHandler() {
    @Override public void onData(Stream stream, ByteBuf data) {
      stream.write(data.retain());
    }

    @Override public void onRemoteClosed(Stream stream) {
      stream.closeWrite();
    }
  });

  static StreamRouter router(Map<String, ProtocolHandler> handlers) {
    return new StreamRouter() {
      @Override public List<String> protocols() {
        return List.copyOf(handlers.keySet());
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return handlers.get(protocolId);
      }
    };
  }

  static final class Sink implements ConnectionSink {
    final List<Connection> accepted = new ArrayList<>();
    final StreamRouter router;

    Sink(StreamRouter router) {
      this.router = router;
    }

    @Override public StreamRouter router() {
      return router;
    }

    @Override public void accepted(Connection connection) {
      accepted.add(connection);
    }
  }

  static final class Collector implements StreamHandler {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean remoteClosed;
    boolean closed;
    Throwable cause;

    @Override public void onData(Stream stream, ByteBuf data) {
      byte[] b = new byte[data.readableBytes()];
      data.readBytes(b);
      bytes.writeBytes(b);
    }

    @Override public void onRemoteClosed(Stream stream) {
      remoteClosed = true;
    }

    @Override public void onClosed(Stream stream, Throwable c) {
      closed = true;
      cause = c;
    }
  }

  final SimScheduler sim = new SimScheduler(42);
  final MemoryNetwork net = new MemoryNetwork(sim);
  final MemoryTransport ta = net.transport(A);
  final MemoryTransport tb = net.transport(B);
  final Sink sinkB = new Sink(router(Map.of("/echo", ECHO)));

  Multiaddr listenB() {
    CompletableFuture<Multiaddr> f = tb.listen(Multiaddr.parse("/memory/0"), sinkB);
    sim.runFor(1);
    return f.join();
  }

  @Test void dialsNegotiatesAndEchoesInOrderAfterLatency() {
    net.setLink(A, B, LinkConfig.latency(25));
    Multiaddr addr = listenB();
    assertThat(addr.toString()).startsWith("/memory/");
    CompletableFuture<Connection> dial = ta.dial(addr, B, router(Map.of()));
    sim.runFor(49);
    assertThat(dial).isNotDone();
    sim.runFor(1);
    Connection c = dial.join();
    assertThat(c.remotePeer()).isEqualTo(B);
    assertThat(c.isInitiator()).isTrue();
    assertThat(sinkB.accepted).singleElement().satisfies(in -> {
      assertThat(in.remotePeer()).isEqualTo(A);
      assertThat(in.isInitiator()).isFalse();
      assertThat(in.remoteAddress()).isEqualTo(c.localAddress());
    });

    CompletableFuture<Stream> sf = c.newStream(List.of("/nope", "/echo"));
    sim.runFor(50);
    Stream s = sf.join();
    assertThat(s.protocol()).isEqualTo("/echo");
    Collector got = new Collector();
    s.setHandler(got);
    for (int i = 0; i < 100; i++) s.write(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
    s.closeWrite();
    sim.runFor(200);
    byte[] expected = new byte[100];
    for (int i = 0; i < 100; i++) expected[i] = (byte) i;
    assertThat(got.bytes.toByteArray()).isEqualTo(expected);
    assertThat(got.remoteClosed).isTrue();
    assertThat(got.closed).isTrue();
    assertThat(got.cause).isNull();
    assertThat(s.closeFuture()).isDone();
    assertThat(c.streams()).isEmpty();
  }

  @Test void unsupportedProtocolFailsNewStreamLikeMultistreamNa() {
    Connection c = dialB();
    CompletableFuture<Stream> sf = c.newStream(List.of("/nope/1.0.0"));
    sim.runFor(10);
    assertThatThrownBy(sf::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(UnsupportedProtocolException.class);
    // The connection is still usable.
    CompletableFuture<Stream> ok = c.newStream(List.of("/echo"));
    sim.runFor(10);
    assertThat(ok.join().protocol()).isEqualTo("/echo");
  }

  @Test void dialFailsWhenTheRemoteIsNotTheExpectedPeer() {
    Multiaddr addr = listenB();
    CompletableFuture<Connection> dial = ta.dial(addr, C, router(Map.of()));
    sim.runFor(10);
    assertThatThrownBy(dial::join).hasMessageContaining("peer id mismatch");
    assertThat(sinkB.accepted).isEmpty();
    assertThat(net.connectionCount()).isZero();
  }

  @Test void dialToNobodyIsRefused() {
    CompletableFuture<Connection> dial = ta.dial(Multiaddr.parse("/memory/nobody"), null, router(Map.of()));
    sim.runFor(10);
    assertThatThrownBy(dial::join).hasMessageContaining("connection refused");
  }

  @Test void partitionClosesConnectionsAndResetsStreams() {
    Connection c = dialB();
    CompletableFuture<Stream> sf = c.newStream(List.of("/echo"));
    sim.runFor(10);
    Collector got = new Collector();
    sf.join().setHandler(got);
    net.partition(A, B);
    sim.runFor(10);
    assertThat(c.closeFuture()).isDone();
    assertThat(sinkB.accepted.get(0).closeFuture()).isDone();
    assertThat(got.closed).isTrue();
    assertThat(got.cause).isNotNull();
    CompletableFuture<Connection> again = ta.dial(sinkBAddr, B, router(Map.of()));
    sim.runFor(10);
    assertThatThrownBy(again::join).hasMessageContaining("partitioned");
    net.heal(A, B);
    CompletableFuture<Connection> healed = ta.dial(sinkBAddr, B, router(Map.of()));
    sim.runFor(10);
    assertThat(healed.join().remotePeer()).isEqualTo(B);
  }

  @Test void resetReachesTheRemoteAndFailsLaterWrites() {
    Connection c = dialB();
    CompletableFuture<Stream> sf = c.newStream(List.of("/echo"));
    sim.runFor(10);
    Stream s = sf.join();
    Collector got = new Collector();
    s.setHandler(got);
    s.reset();
    sim.runFor(10);
    assertThat(got.closed).isTrue();
    assertThat(got.cause).isNotNull();
    CompletableFuture<Void> w = s.write(Unpooled.wrappedBuffer(new byte[] {1}));
    sim.runFor(10);
    assertThat(w).isCompletedExceptionally();
    assertThat(sinkB.accepted.get(0).streams()).isEmpty();
  }

  @Test void writesWaitForTheWindowWhenTheLinkIsSlow() {
    net.setLink(A, B, new LinkConfig(10, 0, 0, 0, 1_000_000)); // 1 MB/s
    Connection c = dialB();
    CompletableFuture<Stream> sf = c.newStream(List.of("/echo"));
    sim.runFor(100);
    Stream s = sf.join();
    s.setHandler(new Collector());
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) writes.add(s.write(Unpooled.wrappedBuffer(new byte[64 * 1024])));
    sim.runFor(1);
    // 256 KiB fit the window at once; the rest wait until earlier bytes arrive.
    assertThat(writes.subList(0, 4)).allMatch(CompletableFuture::isDone);
    assertThat(writes.get(4)).isNotDone();
    sim.runFor(600);
    assertThat(writes).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  @Test void bufferedDataWaitsForALateHandler() {
    Connection c = dialB();
    CompletableFuture<Stream> sf = c.newStream(List.of("/echo"));
    sim.runFor(10);
    Stream s = sf.join();
    s.write(Unpooled.wrappedBuffer("hello".getBytes()));
    s.closeWrite();
    sim.runFor(10);
    Collector late = new Collector();
    s.setHandler(late);
    sim.runFor(1);
    assertThat(late.bytes.toString()).isEqualTo("hello");
    assertThat(late.remoteClosed).isTrue();
  }

  @Test void sameSeedSameTimeline() {
    assertThat(timeline(7)).isEqualTo(timeline(7));
    assertThat(timeline(7)).isNotEqualTo(timeline(8));
  }

  private List<Long> timeline(long seed) {
    SimScheduler s = new SimScheduler(seed);
    MemoryNetwork n = new MemoryNetwork(s);
    n.setDefaultLink(new LinkConfig(5, 20, 0.3, 50, 0));
    MemoryTransport a = n.transport(A);
    MemoryTransport b = n.transport(B);
    List<Long> arrivals = new ArrayList<>();
    CompletableFuture<Multiaddr> l = b.listen(Multiaddr.parse("/memory/0"), new Sink(router(Map.of("/t", st -> st.setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {
        arrivals.add(s.nowMillis());
      }
    })))));
    s.runFor(1);
    CompletableFuture<Connection> d = a.dial(l.join(), B, router(Map.of()));
    s.runFor(1000);
    CompletableFuture<Stream> sf = d.join().newStream(List.of("/t"));
    s.runFor(1000);
    for (int i = 0; i < 20; i++) sf.join().write(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
    s.runFor(10_000);
    assertThat(arrivals).hasSize(20).isSorted();
    return arrivals;
  }

  Multiaddr sinkBAddr;

  Connection dialB() {
    sinkBAddr = listenB();
    CompletableFuture<Connection> dial = ta.dial(sinkBAddr, B, router(Map.of()));
    sim.runFor(100);
    assertThat(dial).isDone();
    return dial.join();
  }
}
