package dev.weft.p2p.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every way of making a connection must give the host, whatever carries the bytes: the
 * remote's identity proven, streams negotiated by protocol and carrying data both ways intact
 * (beyond one Yamux window), unknown protocols refused, a wrong identity refused, and close seen
 * on both ends. Subclasses say how a connected pair is made (TCP, a stream inside a stream, ...).
 */
abstract class TransportContract {
  static final String ECHO = "/test/echo/1.0.0";
  static final long WAIT_SECONDS = 20;

  final PrivKey dialerKey = Ed25519.fromSeedNumber(101);
  final PrivKey listenerKey = Ed25519.fromSeedNumber(202);
  final PeerId dialerId = PeerId.fromPublicKey(dialerKey.publicKey());
  final PeerId listenerId = PeerId.fromPublicKey(listenerKey.publicKey());
  final List<AutoCloseable> cleanup = new ArrayList<>();

  /** A dialled connection and the listener's end of it. */
  record Pair(Connection dialer, Connection listener) {}

  /**
   * Connects the dialer to the listener; each end routes inbound streams with {@code router}.
   * {@code expectedPeer} is what the dialer demands of the listener.
   */
  abstract CompletableFuture<Pair> connect(StreamRouter router, PeerId expectedPeer) throws Exception;

  /**
   * Waits for {@code f} (a simulation drives its virtual time meanwhile); throws as
   * {@link CompletableFuture#get} does.
   */
  <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  static StreamRouter echoRouter() {
    Map<String, ProtocolHandler> handlers = Map.of(ECHO, s -> s.setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {
        stream.write(data.retain());
      }

      @Override public void onRemoteClosed(Stream stream) {
        stream.closeWrite();
      }
    }));
    return new StreamRouter() {
      @Override public List<String> protocols() {
        return List.copyOf(handlers.keySet());
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return handlers.get(protocolId);
      }
    };
  }

  Pair connected() throws Exception {
    Pair p = await(connect(echoRouter(), listenerId));
    cleanup.add(() -> p.dialer().close());
    cleanup.add(() -> p.listener().close());
    return p;
  }

  /** Sends {@code payload} on a new echo stream, half-closes, and returns all that came back. */
  static CompletableFuture<byte[]> echo(Connection c, byte[] payload) {
    CompletableFuture<byte[]> out = new CompletableFuture<>();
    c.newStream(List.of(ECHO)).thenAccept(s -> {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      s.setHandler(new StreamHandler() {
        @Override public void onData(Stream stream, ByteBuf data) {
          got.writeBytes(ByteBufUtil.getBytes(data));
        }

        @Override public void onRemoteClosed(Stream stream) {
          out.complete(got.toByteArray());
        }

        @Override public void onClosed(Stream stream, Throwable cause) {
          if (cause != null) out.completeExceptionally(cause);
        }
      });
      for (int off = 0; off < payload.length; off += 16 * 1024) {
        int n = Math.min(16 * 1024, payload.length - off);
        s.write(Unpooled.wrappedBuffer(payload, off, n));
      }
      s.closeWrite();
    }).exceptionally(e -> {
      out.completeExceptionally(e);
      return null;
    });
    return out;
  }

  @AfterEach void closeAll() {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      try {
        cleanup.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  @Test void bothEndsKnowWhoTheOtherIs() throws Exception {
    Pair p = connected();
    assertThat(p.dialer().remotePeer()).isEqualTo(listenerId);
    assertThat(p.listener().remotePeer()).isEqualTo(dialerId);
    assertThat(p.dialer().isInitiator()).isTrue();
    assertThat(p.listener().isInitiator()).isFalse();
  }

  @Test void streamsCarryDataBothWaysBeyondOneWindow() throws Exception {
    Pair p = connected();
    byte[] payload = new byte[600 * 1024];
    new Random(1).nextBytes(payload);
    assertThat(await(echo(p.dialer(), payload))).isEqualTo(payload);
    byte[] back = new byte[3000];
    new Random(2).nextBytes(back);
    assertThat(await(echo(p.listener(), back))).as("the listener opens streams too").isEqualTo(back);
  }

  @Test void manyStreamsAtOnceStayApart() throws Exception {
    Pair p = connected();
    List<CompletableFuture<byte[]>> all = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] b = new byte[1000 + i * 777];
      new Random(i).nextBytes(b);
      sent.add(b);
      all.add(echo(p.dialer(), b));
    }
    for (int i = 0; i < all.size(); i++) assertThat(await(all.get(i))).isEqualTo(sent.get(i));
  }

  @Test void unknownProtocolsAreRefused() throws Exception {
    Pair p = connected();
    assertThatThrownBy(() -> await(p.dialer().newStream(List.of("/nobody/1.0.0"))))
        .hasMessageContaining("/nobody/1.0.0");
  }

  @Test void aWrongIdentityIsRefused() {
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.fromSeedNumber(303).publicKey());
    assertThatThrownBy(() -> await(connect(echoRouter(), someoneElse)))
        .isInstanceOf(java.util.concurrent.ExecutionException.class)
        .hasMessageContaining("expected " + someoneElse);
  }

  /**
   * Both ends; fails as soon as the dialer fails, and when the listener fails, with the dialer's
   * reason if it has one (thenCombine alone would wait for both, and a listener that refused never
   * completes at all).
   */
  static CompletableFuture<Pair> both(CompletableFuture<Connection> dialer, CompletableFuture<Connection> listener) {
    CompletableFuture<Pair> out = dialer.thenCombine(listener, Pair::new);
    dialer.exceptionally(e -> {
      out.completeExceptionally(e);
      return null;
    });
    listener.exceptionally(e -> {
      dialer.whenComplete((c, de) -> out.completeExceptionally(de != null ? de : e));
      return null;
    });
    return out;
  }

  @Test void closingOneEndClosesBoth() throws Exception {
    Pair p = connected();
    p.dialer().close();
    await(p.dialer().closeFuture());
    await(p.listener().closeFuture());
    assertThat(p.listener().closeFuture()).isDone();
  }
}
