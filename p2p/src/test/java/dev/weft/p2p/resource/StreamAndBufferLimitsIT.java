package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream and buffer limits between two hosts over loopback TCP: a peer that opens streams and
 * leaves them open, or sends on streams whose handler does not read, gets the configured share
 * and no more; what it releases can be taken again; with the old (effectively unlimited) limits
 * the same peer holds everything it asks for.
 */
@Timeout(60)
class StreamAndBufferLimitsIT {
  static final String HOLD = "/weft-test/hold/1.0.0";
  static final String SINK = "/weft-test/sink/1.0.0";
  HostBuilder.Built server;
  HostBuilder.Built client;
  final List<Stream> serverStreams = new CopyOnWriteArrayList<>();

  @AfterEach void close() {
    if (client != null) client.host().close();
    if (server != null) server.host().close();
  }

  private Multiaddr start(ResourceLimits limits) {
    server = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new)
        .resourceLimits(limits).listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    // HOLD answers one byte and keeps the stream open; SINK never reads (no handler installed).
    server.host().setStreamHandler(HOLD, s -> {
      serverStreams.add(s);
      s.write(Unpooled.wrappedBuffer(new byte[] {1}));
    });
    server.host().setStreamHandler(SINK, serverStreams::add);
    server.host().start().join();
    client = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(2)).transport(TcpTransport::new).buildWithServices();
    return server.host().listenAddresses().get(0).withPeerId(server.host().peerId());
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

  @Test void inboundStreamsAreLimitedPerConnectionAndPerPeerAndReleasedWhenClosed() throws Exception {
    Multiaddr addr = start(ResourceLimits.DEFAULT.withStreamLimits(3, 100, 5));
    Connection c1 = client.host().dial(addr, true).get(10, TimeUnit.SECONDS);
    Connection c2 = client.host().dial(addr, true).get(10, TimeUnit.SECONDS);
    List<Stream> kept = new ArrayList<>();
    List<Boolean> onC1 = new ArrayList<>();
    for (int i = 0; i < 4; i++) onC1.add(holdStream(c1, kept));
    assertThat(onC1).containsExactly(true, true, true, false);
    List<Boolean> onC2 = new ArrayList<>();
    for (int i = 0; i < 3; i++) onC2.add(holdStream(c2, kept));
    assertThat(onC2).as("the peer's total of 5 is reached on the second connection").containsExactly(true, true, false);
    assertThat(server.host().resourceManager().snapshot().streams()).isEqualTo(5);
    kept.get(0).reset();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.host().resourceManager().snapshot().streams() > 4 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(holdStream(c2, kept)).as("a released stream can be taken again").isTrue();
    client.host().close();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.host().resourceManager().snapshot().streams() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(server.host().resourceManager().snapshot().streams()).as("all released when the peer leaves").isZero();
  }

  @Test void withTheOldLimitsThePeerHoldsEveryStreamItOpens() throws Exception {
    Multiaddr addr = start(ResourceLimits.legacy());
    Connection c = client.host().dial(addr, true).get(10, TimeUnit.SECONDS);
    List<Stream> kept = new ArrayList<>();
    for (int i = 0; i < 8; i++) assertThat(holdStream(c, kept)).isTrue();
    assertThat(server.host().resourceManager().snapshot().streams()).isEqualTo(8);
  }

  /** Sends a window's worth (256 KiB) on each of {@code streams} SINK streams; returns them. */
  private List<Stream> fillSinks(Connection c, int streams) throws Exception {
    List<Stream> out = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      Stream s = c.newStream(List.of(SINK)).get(10, TimeUnit.SECONDS);
      s.setHandler((stream, data) -> {});
      s.write(Unpooled.wrappedBuffer(new byte[256 * 1024]));
      out.add(s);
    }
    return out;
  }

  private long settledBuffered() throws InterruptedException {
    ResourceManager rm = server.host().resourceManager();
    long last = -1;
    for (int i = 0; i < 100; i++) {
      long now = rm.bufferedBy(client.host().peerId());
      if (now == last && now > 0) return now;
      last = now;
      Thread.sleep(50);
    }
    return last;
  }

  @Test void bytesBufferedForAPeerStopAtItsShareAndAreReturnedWhenStreamsEnd() throws Exception {
    long perPeer = 1024 * 1024;
    Multiaddr addr = start(ResourceLimits.DEFAULT.withBufferLimits(perPeer, 64L << 20, 256L << 20));
    Connection c = client.host().dial(addr, true).get(10, TimeUnit.SECONDS);
    List<Stream> sinks = fillSinks(c, 6);
    long held = settledBuffered();
    // Six windows would be 1.5 MiB; the stream whose bytes pass 1 MiB is reset, so at most 1 MiB stays.
    assertThat(held).isLessThanOrEqualTo(perPeer).isGreaterThan(perPeer / 2);
    assertThat(server.host().resourceManager().snapshot().refusedBufferBytes()).isPositive();
    assertThat(sinks.stream().filter(s -> s.closeFuture().isDone())).as("streams reset for passing the share").isNotEmpty();
    for (Stream s : sinks) s.reset();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.host().resourceManager().snapshot().bufferedBytes() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(server.host().resourceManager().snapshot().bufferedBytes()).as("nothing left charged").isZero();
  }

  @Test void withTheOldLimitsThePeerFillsWhatItLikes() throws Exception {
    Multiaddr addr = start(ResourceLimits.legacy());
    Connection c = client.host().dial(addr, true).get(10, TimeUnit.SECONDS);
    fillSinks(c, 6);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // Six windows less the few bytes of each stream's multistream negotiation, which the window covers too.
    long expected = 6 * 256 * 1024 - 6 * 64;
    while (server.host().resourceManager().bufferedBy(client.host().peerId()) < expected && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(server.host().resourceManager().bufferedBy(client.host().peerId())).isGreaterThan(expected).isGreaterThan(1024 * 1024);
  }
}
