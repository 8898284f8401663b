package dev.weft.p2p.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpTransportIT {
  static final String ECHO = "/weft/test/echo/1.0.0";
  private final PrivKey serverKey = Ed25519.fromSeedNumber(10);
  private final PrivKey clientKey = Ed25519.fromSeedNumber(11);
  private final TcpTransport server = new TcpTransport(serverKey, TcpTransportConfig.DEFAULT.withIoThreads(2));
  private final TcpTransport client = new TcpTransport(clientKey, TcpTransportConfig.DEFAULT.withIoThreads(2));
  private final Map<String, ProtocolHandler> serverHandlers = new ConcurrentHashMap<>();
  private final List<Connection> accepted = new CopyOnWriteArrayList<>();

  @AfterEach void close() {
    client.close();
    server.close();
  }

  static StreamRouter router(Map<String, ProtocolHandler> handlers) {
    return new StreamRouter() {
      @Override public List<String> protocols() {
        return List.copyOf(handlers.keySet());
      }

      @Override public ProtocolHandler handler(String id) {
        return handlers.get(id);
      }
    };
  }

  static final StreamHandler ECHO_HANDLER = new StreamHandler() {
    @Override public void onData(Stream stream, ByteBuf data) {
      stream.write(data.retainedDuplicate());
    }

    @Override public void onRemoteClosed(Stream stream) {
      stream.closeWrite();
    }
  };

  private Multiaddr listen() throws Exception {
    serverHandlers.put(ECHO, s -> s.setHandler(ECHO_HANDLER));
    return server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return TcpTransportIT.router(serverHandlers);
      }

      @Override public void accepted(Connection c) {
        accepted.add(c);
      }
    }).get(5, TimeUnit.SECONDS);
  }

  @Test void dialsAuthenticatesAndEchoesTenMebibytes() throws Exception {
    Multiaddr addr = listen();
    assertThat(addr.toString()).startsWith("/ip4/127.0.0.1/tcp/");
    PeerId serverId = PeerId.fromPublicKey(serverKey.publicKey());
    Connection c = client.dial(addr, serverId, router(Map.of())).get(10, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(serverId);
    assertThat(c.isInitiator()).isTrue();
    assertThat(c.remoteAddress()).isEqualTo(addr);

    Stream s = c.newStream(List.of(ECHO)).get(5, TimeUnit.SECONDS);
    assertThat(s.protocol()).isEqualTo(ECHO);
    byte[] payload = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(payload);
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long[] count = {0};
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.setHandler(new StreamHandler() {
      @Override public void onData(Stream st, ByteBuf data) {
        count[0] += data.readableBytes();
        received.update(data.nioBuffer());
      }

      @Override public void onRemoteClosed(Stream st) {
        done.complete(null);
      }
    });
    int chunk = 64 * 1024;
    for (int off = 0; off < payload.length; off += chunk) {
      s.write(Unpooled.wrappedBuffer(payload, off, Math.min(chunk, payload.length - off))).get(10, TimeUnit.SECONDS);
    }
    s.closeWrite();
    done.get(30, TimeUnit.SECONDS);
    assertThat(count[0]).isEqualTo(payload.length);
    assertThat(received.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).remotePeer()).isEqualTo(PeerId.fromPublicKey(clientKey.publicKey()));
    c.close().get(5, TimeUnit.SECONDS);
    accepted.get(0).closeFuture().get(5, TimeUnit.SECONDS);
  }

  @Test void negotiatesYamuxWithMultistreamWhenEitherSideDoesNotInlineIt() throws Exception {
    Multiaddr addr = listen();
    client.setInlineMuxer(false);
    Connection c = client.dial(addr, null, router(Map.of())).get(10, TimeUnit.SECONDS);
    Stream s = c.newStream(List.of(ECHO)).get(5, TimeUnit.SECONDS);
    CompletableFuture<String> echoed = new CompletableFuture<>();
    StringBuilder sb = new StringBuilder();
    s.setHandler(new StreamHandler() {
      @Override public void onData(Stream st, ByteBuf data) {
        sb.append(data.toString(java.nio.charset.StandardCharsets.UTF_8));
      }

      @Override public void onRemoteClosed(Stream st) {
        echoed.complete(sb.toString());
      }
    });
    s.write(Unpooled.copiedBuffer("via multistream", java.nio.charset.StandardCharsets.UTF_8));
    s.closeWrite();
    assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("via multistream");
    c.close().get(5, TimeUnit.SECONDS);
  }

  @Test void writesFromAnyThreadKeepTheirCallOrder() throws Exception {
    Multiaddr addr = listen();
    Connection c = client.dial(addr, null, router(Map.of())).get(10, TimeUnit.SECONDS);
    Stream s = c.newStream(List.of(ECHO)).get(5, TimeUnit.SECONDS);
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.setHandler(new StreamHandler() {
      @Override public void onData(Stream st, ByteBuf data) {
        byte[] b = new byte[data.readableBytes()];
        data.readBytes(b);
        got.writeBytes(b);
      }

      @Override public void onRemoteClosed(Stream st) {
        done.complete(null);
      }
    });
    Object lock = new Object();
    int[] next = {0};
    List<CompletableFuture<Void>> all = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 300; i++) {
      synchronized (lock) {
        // Follow-up writes are made on the event loop (write futures complete there), racing
        // with the next write from this thread; the number is taken with the call, under the lock.
        CompletableFuture<Void> w = s.write(Unpooled.buffer(4).writeInt(next[0]++));
        all.add(w.thenRun(() -> {
          synchronized (lock) {
            s.write(Unpooled.buffer(4).writeInt(next[0]++));
          }
        }));
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    s.closeWrite();
    done.get(10, TimeUnit.SECONDS);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(got.toByteArray());
    assertThat(b.remaining()).isEqualTo(600 * 4);
    for (int i = 0; i < 600; i++) assertThat(b.getInt()).isEqualTo(i);
    c.close().get(5, TimeUnit.SECONDS);
  }

  @Test void wrongExpectedPeerFailsTheDial() throws Exception {
    Multiaddr addr = listen();
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.fromSeedNumber(99).publicKey());
    assertThatThrownBy(() -> client.dial(addr, someoneElse, router(Map.of())).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("expected");
  }

  @Test void peerIdInTheAddressIsEnforcedToo() throws Exception {
    Multiaddr addr = listen();
    PeerId serverId = PeerId.fromPublicKey(serverKey.publicKey());
    Connection c = client.dial(addr.withPeerId(serverId), null, router(Map.of())).get(10, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(serverId);
    PeerId other = PeerId.fromPublicKey(Ed25519.fromSeedNumber(98).publicKey());
    assertThatThrownBy(() -> client.dial(addr.withPeerId(other), null, router(Map.of())).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test void handlesOnlyTcpAddresses() {
    assertThat(client.handles(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"))).isTrue();
    assertThat(client.handles(Multiaddr.parse("/dns4/example.com/tcp/5/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"))).isTrue();
    assertThat(client.handles(Multiaddr.parse("/ip4/1.2.3.4/udp/5/quic-v1"))).isFalse();
  }
}
