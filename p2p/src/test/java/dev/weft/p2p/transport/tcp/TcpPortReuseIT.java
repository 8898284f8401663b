package dev.weft.p2p.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port reuse and hole-punch dials on loopback TCP: dials leave from the listen port (what a
 * port-preserving NAT needs), fall back to an ephemeral port when that four-tuple is taken, and a
 * connection on which both ends believe they dialled — what TCP simultaneous open makes — is
 * upgraded once the DCUtR roles are fixed, and not without them. The crossing SYNs themselves
 * need two NATs and are shown by NatTraversalIT; here a splicing proxy gives both ends a dialled
 * socket of one byte stream.
 */
@Timeout(60)
class TcpPortReuseIT {
  static final String ECHO = "/weft/test/echo/1.0.0";
  final List<TcpTransport> transports = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach void close() throws Exception {
    for (AutoCloseable c : closeables) c.close();
    for (TcpTransport t : transports) t.close();
  }

  final class Node {
    final PrivKey key;
    final TcpTransport transport;
    final List<Connection> accepted = new CopyOnWriteArrayList<>();
    final Map<String, ProtocolHandler> handlers = new ConcurrentHashMap<>();
    Multiaddr listen;

    Node(long seed, boolean reusePort) throws Exception {
      key = Ed25519.fromSeedNumber(seed);
      transport = new TcpTransport(key, TcpTransportConfig.DEFAULT.withIoThreads(2).withReusePort(reusePort));
      transports.add(transport);
      handlers.put(ECHO, s -> s.setHandler(TcpTransportIT.ECHO_HANDLER));
      listen = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), new ConnectionSink() {
        @Override public StreamRouter router() {
          return TcpTransportIT.router(handlers);
        }

        @Override public void accepted(Connection c) {
          accepted.add(c);
        }
      }).get(5, TimeUnit.SECONDS);
    }

    PeerId id() {
      return PeerId.fromPublicKey(key.publicKey());
    }

    int port() {
      return Integer.parseInt(listen.valueOf(Protocol.TCP).orElseThrow());
    }

    StreamRouter router() {
      return TcpTransportIT.router(handlers);
    }
  }

  static int remotePort(Connection c) {
    return Integer.parseInt(c.remoteAddress().valueOf(Protocol.TCP).orElseThrow());
  }

  static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  static String echo(Connection c, String text) throws Exception {
    Stream s = c.newStream(List.of(ECHO)).get(10, TimeUnit.SECONDS);
    CompletableFuture<String> back = new CompletableFuture<>();
    StringBuilder got = new StringBuilder();
    s.setHandler(new dev.weft.p2p.api.StreamHandler() {
      @Override public void onData(Stream st, ByteBuf data) {
        got.append(data.toString(StandardCharsets.UTF_8));
      }

      @Override public void onRemoteClosed(Stream st) {
        back.complete(got.toString());
      }
    });
    s.write(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    s.closeWrite();
    return back.get(10, TimeUnit.SECONDS);
  }

  @Test void dialsLeaveFromTheListenPortAndWithoutReuseFromAnEphemeralOne() throws Exception {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    assumeTrue(a.transport.reusesPorts(), "no SO_REUSEPORT on this platform");
    Connection c = a.transport.dial(b.listen, b.id(), a.router()).get(10, TimeUnit.SECONDS);
    waitFor(() -> !b.accepted.isEmpty(), "B to accept");
    assertThat(remotePort(b.accepted.get(0))).as("B sees A's listen port").isEqualTo(a.port());
    assertThat(echo(c, "hello")).isEqualTo("hello");

    Node plain = new Node(3, false);
    assertThat(plain.transport.reusesPorts()).isFalse();
    plain.transport.dial(b.listen, b.id(), plain.router()).get(10, TimeUnit.SECONDS);
    waitFor(() -> b.accepted.size() == 2, "B to accept the second");
    assertThat(remotePort(b.accepted.get(1))).as("without port reuse the dial leaves from elsewhere").isNotEqualTo(plain.port());

    Node c2 = new Node(5, true);
    c2.transport.dialFromEphemeralPort(b.listen, b.id(), c2.router()).get(10, TimeUnit.SECONDS);
    waitFor(() -> b.accepted.size() == 3, "B to accept the dial-back");
    assertThat(remotePort(b.accepted.get(2))).as("a dial-back never leaves from the listen port").isNotEqualTo(c2.port());
  }

  @Test void aSecondConnectionToTheSamePeerFallsBackToAnEphemeralPortAndAHolePunchDialDoesNot() throws Exception {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    assumeTrue(a.transport.reusesPorts(), "no SO_REUSEPORT on this platform");
    a.transport.dial(b.listen, b.id(), a.router()).get(10, TimeUnit.SECONDS);
    Connection second = a.transport.dial(b.listen, b.id(), a.router()).get(10, TimeUnit.SECONDS);
    waitFor(() -> b.accepted.size() == 2, "B to accept both");
    assertThat(remotePort(b.accepted.get(0))).isEqualTo(a.port());
    assertThat(remotePort(b.accepted.get(1))).as("the four-tuple was taken").isNotEqualTo(a.port());
    assertThat(echo(second, "again")).isEqualTo("again");
    // A hole punch from any other port is pointless, so it fails instead.
    assertThatThrownBy(() -> a.transport.dialSimultaneous(b.listen, b.id(), a.router(), true).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("Cannot assign requested address");
  }

  @Test void withoutAListenerOrPortReuseAHolePunchDialIsRefused() throws Exception {
    Node b = new Node(2, true);
    TcpTransport noListener = new TcpTransport(Ed25519.fromSeedNumber(4), TcpTransportConfig.DEFAULT.withIoThreads(1));
    transports.add(noListener);
    assertThatThrownBy(() -> noListener.dialSimultaneous(b.listen, b.id(), TcpTransportIT.router(Map.of()), true).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(UnsupportedOperationException.class);
    Node plain = new Node(3, false);
    assertThatThrownBy(() -> plain.transport.dialSimultaneous(b.listen, b.id(), plain.router(), true).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(UnsupportedOperationException.class);
  }

  @Test void bothEndsDiallingOneConnectionUpgradeWithTheDcutrRolesAndFailWithout() throws Exception {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    assumeTrue(a.transport.reusesPorts(), "no SO_REUSEPORT on this platform");
    // Without fixed roles both ends run the initiator: each takes the other's proposal for an
    // answer, and Noise fails with two first messages.
    Splice bare = new Splice();
    CompletableFuture<Connection> x = a.transport.dial(bare.first(), b.id(), a.router());
    CompletableFuture<Connection> y = b.transport.dial(bare.second(), a.id(), b.router());
    assertThatThrownBy(() -> x.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThatThrownBy(() -> y.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

    Splice punched = new Splice();
    CompletableFuture<Connection> atA = a.transport.dialSimultaneous(punched.first(), b.id(), a.router(), true);
    CompletableFuture<Connection> atB = b.transport.dialSimultaneous(punched.second(), a.id(), b.router(), false);
    Connection ca = atA.get(20, TimeUnit.SECONDS);
    Connection cb = atB.get(20, TimeUnit.SECONDS);
    assertThat(ca.remotePeer()).isEqualTo(b.id());
    assertThat(cb.remotePeer()).isEqualTo(a.id());
    assertThat(ca.isInitiator()).as("A is the client").isTrue();
    assertThat(cb.isInitiator()).as("B is the server").isFalse();
    assertThat(echo(ca, "from A")).isEqualTo("from A");
    assertThat(echo(cb, "from B")).isEqualTo("from B");
    assertThat(a.accepted).isEmpty();
    assertThat(b.accepted).isEmpty();
    assertThat(punched.sourcePorts()).containsExactly(a.port(), b.port());
  }

  @Test void whenTheServersSynReachesTheClientsListenerFirstTheClientResetsItAndDialsAgain() throws Exception {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    assumeTrue(a.transport.reusesPorts(), "no SO_REUSEPORT on this platform");
    // B (server) dials first: A's listener accepts and both ends wait as responders.
    CompletableFuture<Connection> atB = b.transport.dialSimultaneous(a.listen, a.id(), b.router(), false);
    waitFor(() -> a.transport.upgradingFrom(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port())), "A's listener to take B's dial");
    Connection ca = a.transport.dialSimultaneous(b.listen, b.id(), a.router(), true).get(20, TimeUnit.SECONDS);
    assertThat(ca.isInitiator()).isTrue();
    assertThatThrownBy(() -> atB.get(20, TimeUnit.SECONDS)).as("B's connection was reset").isInstanceOf(ExecutionException.class);
    waitFor(() -> !b.accepted.isEmpty(), "B to accept A's second dial");
    Connection cb = b.accepted.get(0);
    assertThat(cb.remotePeer()).isEqualTo(a.id());
    assertThat(remotePort(cb)).isEqualTo(a.port());
    assertThat(echo(ca, "ok")).isEqualTo("ok");
    assertThat(a.accepted).as("A never admitted B's first connection").isEmpty();
  }

  /**
   * Two loopback listeners whose first accepted sockets are spliced together: each dialler holds a
   * socket it connected, and both are ends of one byte stream.
   */
  final class Splice implements AutoCloseable {
    final ServerSocket one = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final ServerSocket two = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final List<Integer> ports = new CopyOnWriteArrayList<>();
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final Thread worker;

    Splice() throws IOException {
      closeables.add(this);
      one.setSoTimeout(20_000);
      two.setSoTimeout(20_000);
      worker = Thread.ofVirtual().start(() -> {
        try {
          Socket s1 = one.accept();
          Socket s2 = two.accept();
          sockets.add(s1);
          sockets.add(s2);
          ports.add(s1.getPort());
          ports.add(s2.getPort());
          Thread.ofVirtual().start(() -> pump(s1, s2));
          pump(s2, s1);
        } catch (IOException e) {
          // closed by the test
        }
      });
    }

    Multiaddr first() {
      return Multiaddr.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), one.getLocalPort()));
    }

    Multiaddr second() {
      return Multiaddr.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), two.getLocalPort()));
    }

    List<Integer> sourcePorts() {
      return List.copyOf(ports);
    }

    private static void pump(Socket from, Socket to) {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
      } catch (IOException e) {
        // one end went away
      } finally {
        try {
          to.close();
        } catch (IOException e) {
          // already closed
        }
      }
    }

    @Override public void close() throws IOException {
      one.close();
      two.close();
      for (Socket s : sockets) s.close();
    }
  }
}
