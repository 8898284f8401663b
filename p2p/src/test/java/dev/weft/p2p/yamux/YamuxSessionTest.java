package dev.weft.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class YamuxSessionTest {
  /** Collects what a stream receives. */
  static final class Collector implements StreamHandler {
    final ByteBuf received = Unpooled.buffer();
    boolean remoteClosed;
    boolean closed;
    Throwable cause;

    @Override public void onData(Stream stream, ByteBuf data) {
      received.writeBytes(data);
    }

    @Override public void onRemoteClosed(Stream stream) {
      remoteClosed = true;
    }

    @Override public void onClosed(Stream stream, Throwable c) {
      closed = true;
      cause = c;
    }

    String text() {
      return received.toString(StandardCharsets.UTF_8);
    }
  }

  /** Echoes everything and half-closes when the remote does. */
  static final StreamHandler ECHO = new StreamHandler() {
    @Override public void onData(Stream stream, ByteBuf data) {
      stream.write(data.retainedDuplicate());
    }

    @Override public void onRemoteClosed(Stream stream) {
      stream.closeWrite();
    }
  };

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test void opensNegotiatesEchoesAndClosesAStream() {
    try (YamuxPair p = new YamuxPair()) {
      p.serverHandlers.put("/echo/1.0.0", s -> s.setHandler(ECHO));
      CompletableFuture<Stream> f = p.client.newStream(List.of("/unknown/1", "/echo/1.0.0"));
      p.pump();
      Stream s = f.join();
      assertThat(s.protocol()).isEqualTo("/echo/1.0.0");
      assertThat(s.id() % 2).isEqualTo(1);
      assertThat(p.server.streams()).hasSize(1);
      Collector c = new Collector();
      s.setHandler(c);
      CompletableFuture<Void> w = s.write(text("hello"));
      s.closeWrite();
      p.pump();
      assertThat(w).isCompleted();
      assertThat(c.text()).isEqualTo("hello");
      assertThat(c.remoteClosed).isTrue();
      assertThat(c.closed).isTrue();
      assertThat(c.cause).isNull();
      assertThat(s.closeFuture()).isCompleted();
      assertThat(p.client.streams()).isEmpty();
      assertThat(p.server.streams()).isEmpty();
      c.received.release();
    }
  }

  @Test void unsupportedProtocolFailsTheStream() {
    try (YamuxPair p = new YamuxPair()) {
      CompletableFuture<Stream> f = p.client.newStream(List.of("/nope/1.0.0"));
      p.pump();
      assertThat(f).isCompletedExceptionally();
      assertThat(p.client.streams()).isEmpty();
      assertThat(p.server.streams()).isEmpty();
    }
  }

  @Test void serverOpenedStreamsUseEvenIds() {
    try (YamuxPair p = new YamuxPair()) {
      p.clientHandlers.put("/echo/1.0.0", s -> s.setHandler(ECHO));
      CompletableFuture<Stream> f = p.server.newStream(List.of("/echo/1.0.0"));
      p.pump();
      assertThat(f.join().id() % 2).isZero();
    }
  }

  @Test void writerWaitsAtTheWindowAndResumesWhenTheReaderConsumes() {
    try (YamuxPair p = new YamuxPair()) {
      List<Stream> accepted = new ArrayList<>();
      p.serverHandlers.put("/sink", accepted::add); // no handler yet: data is buffered, not consumed
      CompletableFuture<Stream> f = p.client.newStream(List.of("/sink"));
      p.pump();
      Stream s = f.join();
      byte[] payload = new byte[1024 * 1024];
      new Random(1).nextBytes(payload);
      CompletableFuture<Void> w = s.write(Unpooled.wrappedBuffer(payload));
      p.pump();
      assertThat(w).isNotDone(); // only 256 KiB fit in the initial window
      Collector c = new Collector();
      accepted.get(0).setHandler(c);
      p.pump();
      assertThat(w).isCompleted();
      assertThat(ByteBufUtil.getBytes(c.received)).isEqualTo(payload);
      c.received.release();
    }
  }

  @Test void resetReachesTheOtherSideAndFailsWrites() {
    try (YamuxPair p = new YamuxPair()) {
      Collector serverSide = new Collector();
      p.serverHandlers.put("/x", s -> s.setHandler(serverSide));
      CompletableFuture<Stream> f = p.client.newStream(List.of("/x"));
      p.pump();
      Stream s = f.join();
      s.reset();
      p.pump();
      assertThat(serverSide.closed).isTrue();
      assertThat(serverSide.cause).isInstanceOf(StreamResetException.class);
      CompletableFuture<Void> w = s.write(text("late"));
      assertThat(w).isCompletedExceptionally();
      assertThat(p.server.streams()).isEmpty();
      serverSide.received.release();
    }
  }

  @Test void pingMeasuresARoundTrip() {
    try (YamuxPair p = new YamuxPair()) {
      var rtt = p.client.ping();
      p.pump();
      assertThat(rtt).isCompleted();
      assertThat(rtt.join()).isPositive();
    }
  }

  @Test void goAwayStopsNewStreamsAndCloses() {
    try (YamuxPair p = new YamuxPair()) {
      CompletableFuture<Void> closed = p.server.close();
      p.pump();
      assertThat(closed).isCompleted();
      assertThat(p.server.closeFuture()).isCompleted();
      assertThat(p.client.newStream(List.of("/x"))).isCompletedExceptionally();
    }
  }

  @Test void streamsBeyondTheLimitAreRefused() {
    try (YamuxPair p = new YamuxPair(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT.withMaxStreams(2))) {
      p.serverHandlers.put("/x", s -> s.setHandler(new Collector()));
      CompletableFuture<Stream> a = p.client.newStream(List.of("/x"));
      CompletableFuture<Stream> b = p.client.newStream(List.of("/x"));
      CompletableFuture<Stream> c = p.client.newStream(List.of("/x"));
      p.pump();
      assertThat(a).isCompleted();
      assertThat(b).isCompleted();
      assertThat(c).isCompletedExceptionally();
      assertThat(p.server.streams()).hasSize(2);
      assertThat(p.serverChannel.isOpen()).isTrue();
    }
  }

  @Test void dataOnTheSessionIdIsAProtocolError() {
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf bad = Unpooled.buffer();
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_DATA, 0, 0, 1);
      bad.writeByte(0);
      p.serverChannel.writeInbound(bad);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
      assertThat(p.server.closeFuture()).isCompleted();
    }
  }

  @Test void dataBeyondTheWindowIsAProtocolError() {
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf bad = Unpooled.buffer();
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0);
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_DATA, 0, 1, YamuxConfig.SPEC_INITIAL_WINDOW + 1);
      p.serverChannel.writeInbound(bad);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
  }

  @Test void synWithOurParityAndDuplicateSynAreProtocolErrors() {
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf bad = Unpooled.buffer();
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2, 0);
      p.serverChannel.writeInbound(bad);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf bad = Unpooled.buffer();
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0);
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0);
      p.serverChannel.writeInbound(bad);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
  }

  @Test void randomBytesCloseTheConnectionWithoutLeaking() {
    Random r = new Random(42);
    for (int i = 0; i < 50; i++) {
      try (YamuxPair p = new YamuxPair()) {
        byte[] junk = new byte[1 + r.nextInt(200)];
        r.nextBytes(junk);
        p.serverChannel.writeInbound(Unpooled.wrappedBuffer(junk));
        p.serverChannel.runPendingTasks();
      }
    }
  }

  @Test void truncatedFramesWaitForTheRest() {
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf syn = Unpooled.buffer();
      YamuxFrame.writeHeader(syn, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0);
      p.serverChannel.writeInbound(syn.readRetainedSlice(5));
      assertThat(p.server.streams()).isEmpty();
      p.serverChannel.writeInbound(syn);
      p.serverChannel.runPendingTasks();
      assertThat(p.serverChannel.isOpen()).isTrue();
      // The stream exists (awaiting negotiation) even though no protocol is agreed yet.
      p.serverChannel.advanceTimeBy(YamuxConfig.DEFAULT.negotiationTimeoutMillis() + 1, TimeUnit.MILLISECONDS);
      p.serverChannel.runPendingTasks();
      assertThat(p.serverChannel.isOpen()).isTrue(); // a stream timing out resets only the stream
    }
  }

  @Test void dataArrivingBeforeTheHandlerIsDeliveredOnceItIsSet() {
    try (YamuxPair p = new YamuxPair()) {
      List<Stream> accepted = new ArrayList<>();
      p.serverHandlers.put("/late", accepted::add);
      CompletableFuture<Stream> f = p.client.newStream(List.of("/late"));
      p.pump();
      Stream s = f.join();
      s.write(text("early "));
      s.write(text("bytes"));
      s.closeWrite();
      p.pump();
      Collector c = new Collector();
      accepted.get(0).setHandler(c);
      assertThat(c.text()).isEqualTo("early bytes");
      assertThat(c.remoteClosed).isTrue();
      c.received.release();
    }
  }

  @Test void peerThatStopsReadingBoundsWhatWeSendToItsWindow() {
    try (YamuxPair p = new YamuxPair()) {
      p.serverHandlers.put("/x", s -> s.setHandler(new Collector()));
      CompletableFuture<Stream> f = p.client.newStream(List.of("/x"));
      p.pump();
      Stream s = f.join();
      p.deliverToServer = false;
      CompletableFuture<Void> w = s.write(Unpooled.wrappedBuffer(new byte[10 * 1024 * 1024]));
      p.pump();
      long queued = 0;
      for (Object o; (o = p.clientChannel.readOutbound()) != null; ) {
        queued += ((ByteBuf) o).readableBytes();
        ((ByteBuf) o).release();
      }
      assertThat(w).isNotDone();
      assertThat(queued).isGreaterThan(YamuxConfig.SPEC_INITIAL_WINDOW - 1024) // less what negotiation used
          .isLessThan(YamuxConfig.SPEC_INITIAL_WINDOW + 4 * YamuxFrame.HEADER_LENGTH);
      s.reset();
      assertThat(w).isCompletedExceptionally();
    }
  }

  @Test void peerThatOpensStreamsWithoutLimitIsDisconnected() {
    try (YamuxPair p = new YamuxPair(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT.withMaxStreams(4))) {
      ByteBuf syns = Unpooled.buffer();
      int n = 4 + YamuxSession.MAX_CONSECUTIVE_REFUSED + 1;
      for (int i = 0; i < n; i++) YamuxFrame.writeHeader(syns, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2L * i + 1, 0);
      p.serverChannel.writeInbound(syns);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
  }

  @Test void refusedStreamsGetAReset() {
    try (YamuxPair p = new YamuxPair(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT.withMaxStreams(1))) {
      ByteBuf syns = Unpooled.buffer();
      YamuxFrame.writeHeader(syns, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0);
      YamuxFrame.writeHeader(syns, YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_SYN, 3, 4);
      syns.writeInt(0xdeadbeef); // payload of a refused stream is skipped, not misparsed as a header
      p.serverChannel.writeInbound(syns);
      p.serverChannel.runPendingTasks();
      ByteBuf out = Unpooled.buffer();
      for (Object o; (o = p.serverChannel.readOutbound()) != null; ) {
        out.writeBytes((ByteBuf) o);
        ((ByteBuf) o).release();
      }
      boolean rst3 = false;
      try {
        while (out.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
          YamuxFrame.Header h = YamuxFrame.readHeader(out);
          if (h.streamId() == 3 && h.has(YamuxFrame.FLAG_RST)) rst3 = true;
          if (h.type() == YamuxFrame.TYPE_DATA) out.skipBytes((int) h.length());
        }
      } catch (YamuxException e) {
        throw new AssertionError(e);
      } finally {
        out.release();
      }
      assertThat(rst3).isTrue();
      assertThat(p.serverChannel.isOpen()).isTrue();
    }
  }

  @Test void windowUpdateOverflowIsAProtocolError() {
    try (YamuxPair p = new YamuxPair()) {
      ByteBuf bad = Unpooled.buffer();
      YamuxFrame.writeHeader(bad, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0xFFFF_FFFFL);
      p.serverChannel.writeInbound(bad);
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
  }

  @Test void unknownTypeOrVersionIsAProtocolError() {
    try (YamuxPair p = new YamuxPair()) {
      p.serverChannel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
    try (YamuxPair p = new YamuxPair()) {
      p.serverChannel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
      assertGoAwayProtocolErrorAndClosed(p.serverChannel);
    }
  }

  @Test void windowGrowsWhileAStreamIsReadQuickly() {
    try (YamuxPair p = new YamuxPair()) {
      Collector c = new Collector();
      p.serverHandlers.put("/x", s -> s.setHandler(c));
      CompletableFuture<Stream> f = p.client.newStream(List.of("/x"));
      p.pump();
      Stream s = f.join();
      // 8 MiB written at once: the writer's queue drains in window-sized steps; with doubling, the
      // number of round trips stays logarithmic rather than 8 MiB / 128 KiB = 64.
      s.write(Unpooled.wrappedBuffer(new byte[8 * 1024 * 1024]));
      int rounds = 0;
      while (c.received.readableBytes() < 8 * 1024 * 1024 && rounds < 100) {
        p.clientChannel.runPendingTasks();
        for (Object o; (o = p.clientChannel.readOutbound()) != null; ) p.serverChannel.writeInbound(o);
        p.serverChannel.runPendingTasks();
        for (Object o; (o = p.serverChannel.readOutbound()) != null; ) p.clientChannel.writeInbound(o);
        rounds++;
      }
      assertThat(c.received.readableBytes()).isEqualTo(8 * 1024 * 1024);
      assertThat(rounds).isLessThan(16);
      c.received.release();
    }
  }

  static void assertGoAwayProtocolErrorAndClosed(EmbeddedChannel ch) {
    ch.runPendingTasks();
    ByteBuf out = Unpooled.buffer();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      out.writeBytes((ByteBuf) o);
      ((ByteBuf) o).release();
    }
    boolean sawGoAway = false;
    while (out.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
      try {
        YamuxFrame.Header h = YamuxFrame.readHeader(out);
        if (h.type() == YamuxFrame.TYPE_GO_AWAY && h.length() == YamuxFrame.GO_AWAY_PROTOCOL_ERROR) sawGoAway = true;
        if (h.type() == YamuxFrame.TYPE_DATA) out.skipBytes((int) h.length());
      } catch (YamuxException e) {
        throw new AssertionError(e);
      }
    }
    out.release();
    assertThat(sawGoAway).as("go away with protocol error sent").isTrue();
    assertThat(ch.isOpen()).isFalse();
  }
}
