package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.resource.ResourceLimits;
import dev.weft.p2p.transport.tcp.TcpTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Circuit relay v2 on real loopback TCP between three hosts: A (private: reserves a slot on R),
 * R (the relay), B (dials A through R). Noise and Yamux run end to end inside the relayed stream.
 */
@Timeout(90)
class CircuitRelayIT {
  static final String SINK = "/test/sink/1.0.0";
  final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach void close() {
    for (int i = hosts.size() - 1; i >= 0; i--) hosts.get(i).close();
  }

  /** Paranoid leak detection reports a leaked buffer once it is collected: make that happen before the JVM ends. */
  @org.junit.jupiter.api.AfterAll static void collectSoLeaksAreReported() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
    }
  }

  HostBuilder.Built host(long seed, dev.weft.p2p.api.ServiceFactory<?> service) {
    return host(seed, service, ResourceLimits.DEFAULT);
  }

  HostBuilder.Built host(long seed, dev.weft.p2p.api.ServiceFactory<?> service, ResourceLimits limits) {
    HostBuilder b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen("/ip4/127.0.0.1/tcp/0")
        .resourceLimits(limits);
    if (service != null) b.service(service);
    HostBuilder.Built h = b.buildWithServices();
    h.host().start().join();
    hosts.add(h.host());
    // a sink that counts what it was sent, for the byte-limit tests
    h.host().setStreamHandler(SINK, s -> s.setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {}
    }));
    return h;
  }

  static Multiaddr addr(HostBuilder.Built h) {
    return h.host().listenAddresses().get(0).withPeerId(h.host().peerId());
  }

  HostBuilder.Built relay(RelayConfig config) {
    return host(100, HopServer.factory(config));
  }

  HostBuilder.Built privatePeer(long seed, HostBuilder.Built relay) {
    return privatePeer(seed, relay, ResourceLimits.DEFAULT);
  }

  HostBuilder.Built privatePeer(long seed, HostBuilder.Built relay, ResourceLimits limits) {
    HostBuilder.Built a = host(seed, RelayClient.factory(RelayClientConfig.of(List.of(addr(relay)))), limits);
    waitFor(() -> !a.service(RelayClient.class).orElseThrow().reservations().isEmpty(), "a reservation on the relay");
    return a;
  }

  HostBuilder.Built dialer(long seed) {
    return host(seed, RelayClient.factory(RelayClientConfig.dialOnly()));
  }

  static Multiaddr circuit(HostBuilder.Built relay, PeerId target) {
    return addr(relay).encapsulate("/p2p-circuit").withPeerId(target);
  }

  static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test void bDialsAThroughTheRelayPingsAndIdentifies() throws Exception {
    HostBuilder.Built r = relay(RelayConfig.DEFAULT);
    HostBuilder.Built a = privatePeer(1, r);
    HostBuilder.Built b = dialer(2);
    RelayClient.Held held = a.service(RelayClient.class).orElseThrow().reservations().get(r.host().peerId());
    assertThat(held.voucher()).isEqualTo(new ReservationVoucher(r.host().peerId(), a.host().peerId(), held.expireUnixSeconds()));
    Multiaddr viaR = circuit(r, a.host().peerId());
    assertThat(a.host().advertisedAddresses()).contains(viaR);

    Connection c = b.host().dial(viaR).get(20, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(a.host().peerId());
    assertThat(c.isLimited()).isTrue();
    assertThat(c.remoteAddress().toString()).endsWith("/p2p/" + r.host().peerId() + "/p2p-circuit");
    assertThat(b.host().connections(a.host().peerId())).containsExactly(c);
    List<Double> rtts = b.ping().ping(c, 3).get(20, TimeUnit.SECONDS);
    assertThat(rtts).hasSize(3);
    IdentifyInfo info = b.identify().identify(c).get(20, TimeUnit.SECONDS);
    assertThat(info.listenAddrs()).as("A advertises its circuit address").contains(viaR.withoutPeerId());
    assertThat(info.observedAddr().toString()).contains("/p2p-circuit");
    // A sees the inbound relayed connection from B, limited too.
    waitFor(() -> !a.host().connections(b.host().peerId()).isEmpty(), "A to adopt the circuit");
    assertThat(a.host().connections(b.host().peerId())).allMatch(Connection::isLimited);
    assertThat(r.service(HopServer.class).orElseThrow().circuits()).isEqualTo(1);

    c.close().get(10, TimeUnit.SECONDS);
    waitFor(() -> r.service(HopServer.class).orElseThrow().circuits() == 0, "the relay to free the circuit");
    waitFor(() -> a.host().connections(b.host().peerId()).isEmpty(), "A to drop the circuit");
  }

  /**
   * A is allowed two connections in all: its own to the relay and one more. B's relayed connection
   * takes the second; C's, arriving through the same relay, is refused, though the relay client's
   * own cap on inbound circuits (8) has room: adopted connections count against the host's limits.
   */
  @Test void relayedConnectionsCountAgainstTheTargetsConnectionLimit() throws Exception {
    HostBuilder.Built r = relay(RelayConfig.DEFAULT);
    HostBuilder.Built a = privatePeer(1, r, ResourceLimits.DEFAULT.withPendingShares(1, 1).withMaxPendingInbound(1).withConnectionLimits(2, 2, 2, 4));
    Multiaddr viaR = circuit(r, a.host().peerId());
    HostBuilder.Built b = dialer(2);
    b.host().dial(viaR).get(20, TimeUnit.SECONDS);
    waitFor(() -> !a.host().connections(b.host().peerId()).isEmpty(), "A to adopt B's circuit");

    HostBuilder.Built c = dialer(3);
    long refusedBefore = a.host().resourceManager().snapshot().refusedConnections();
    try {
      Connection cc = c.host().dial(viaR).get(20, TimeUnit.SECONDS);
      // C may finish its side of the handshake before A refuses: then A closes the circuit.
      cc.closeFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException refusedDuringTheDial) {
      // equally fine: the circuit closed before C's upgrade finished
    }
    waitFor(() -> a.host().resourceManager().snapshot().refusedConnections() > refusedBefore, "A to count the refusal");
    assertThat(a.host().connections(c.host().peerId())).isEmpty();
    assertThat(a.host().connections(b.host().peerId())).as("B's connection is untouched").hasSize(1);
    assertThat(a.host().resourceManager().snapshot().connections()).isEqualTo(2);
    waitFor(() -> r.service(HopServer.class).orElseThrow().circuits() == 1, "the relay to free C's circuit");
  }

  /** The contrast: with room for three, the same two relayed connections are both adopted. */
  @Test void withRoomForThreeBothRelayedConnectionsAreAdopted() throws Exception {
    HostBuilder.Built r = relay(RelayConfig.DEFAULT);
    HostBuilder.Built a = privatePeer(1, r, ResourceLimits.DEFAULT.withPendingShares(1, 1).withMaxPendingInbound(1).withConnectionLimits(3, 3, 3, 4));
    Multiaddr viaR = circuit(r, a.host().peerId());
    HostBuilder.Built b = dialer(2);
    HostBuilder.Built c = dialer(3);
    b.host().dial(viaR).get(20, TimeUnit.SECONDS);
    c.host().dial(viaR).get(20, TimeUnit.SECONDS);
    waitFor(() -> !a.host().connections(b.host().peerId()).isEmpty() && !a.host().connections(c.host().peerId()).isEmpty(), "A to adopt both circuits");
    assertThat(a.host().resourceManager().snapshot().connections()).isEqualTo(3);
    c.host().connections(a.host().peerId()).get(0).close().get(10, TimeUnit.SECONDS);
    waitFor(() -> a.host().resourceManager().snapshot().connections() == 2, "A to release C's slot when the circuit closes");
  }

  @Test void theClientRefreshesItsReservationBeforeItLapses() throws Exception {
    RelayConfig shortTtl = new RelayConfig(8, 4, 4, 3_000, 16, 4, 120, 128 * 1024, 10_000);
    HostBuilder.Built r = relay(shortTtl);
    HostBuilder.Built a = host(1, RelayClient.factory(RelayClientConfig.of(List.of(addr(r))).withRefresh(1_000, 200)));
    RelayClient client = a.service(RelayClient.class).orElseThrow();
    waitFor(() -> !client.reservations().isEmpty(), "a reservation");
    long first = client.reservations().get(r.host().peerId()).expireUnixSeconds();
    waitFor(() -> client.reservations().get(r.host().peerId()).expireUnixSeconds() > first + 1, "a refreshed reservation");
    // Past the first reservation's TTL the relay still holds one for A: the refresh, not the original.
    waitFor(() -> System.currentTimeMillis() / 1000 > first + 1, "the first expiry to pass");
    assertThat(r.service(HopServer.class).orElseThrow().reservations()).isEqualTo(1);
    HostBuilder.Built b = dialer(2);
    assertThat(b.host().dial(circuit(r, a.host().peerId())).get(20, TimeUnit.SECONDS).isLimited()).isTrue();
  }

  @Test void aRelayWithoutAReservationForTheTargetAnswersNoReservation() {
    HostBuilder.Built r = relay(RelayConfig.DEFAULT);
    HostBuilder.Built b = dialer(2);
    PeerId nobody = PeerId.fromPublicKey(Ed25519.fromSeedNumber(77).publicKey());
    assertThatThrownBy(() -> b.host().dial(circuit(r, nobody)).get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(RelayRefusedException.class, e -> assertThat(e.status()).isEqualTo(RelayMessage.Status.NO_RESERVATION));
    assertThat(b.host().connections(nobody)).isEmpty();
  }

  @Test void reservationsOverTheLimitAreRefused() throws Exception {
    RelayConfig one = new RelayConfig(1, 4, 4, 60_000, 16, 4, 120, 128 * 1024, 10_000);
    HostBuilder.Built r = relay(one);
    privatePeer(1, r);
    HostBuilder.Built d = dialer(3);
    RelayClient client = d.service(RelayClient.class).orElseThrow();
    assertThatThrownBy(() -> client.reserve(addr(r)).get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(RelayRefusedException.class, e -> assertThat(e.status()).isEqualTo(RelayMessage.Status.RESERVATION_REFUSED));
    assertThat(r.service(HopServer.class).orElseThrow().refusedReservations()).isEqualTo(1);
    assertThat(client.reservations()).isEmpty();
  }

  @Test void withRoomForTwoTheSecondReservationIsAccepted() throws Exception {
    RelayConfig two = new RelayConfig(2, 4, 4, 60_000, 16, 4, 120, 128 * 1024, 10_000);
    HostBuilder.Built r = relay(two);
    privatePeer(1, r);
    HostBuilder.Built d = dialer(3);
    RelayClient.Held h = d.service(RelayClient.class).orElseThrow().reserve(addr(r)).get(20, TimeUnit.SECONDS);
    assertThat(h.relay()).isEqualTo(r.host().peerId());
    assertThat(r.service(HopServer.class).orElseThrow().reservations()).isEqualTo(2);
  }

  @Test void theRelayResetsACircuitOverItsByteLimit() throws Exception {
    // Enough for Noise, Yamux and identify (a few KiB each way); far less than what we send.
    RelayConfig small = new RelayConfig(8, 4, 4, 60_000, 16, 4, 120, 48 * 1024, 10_000);
    HostBuilder.Built r = relay(small);
    HostBuilder.Built a = privatePeer(1, r);
    HostBuilder.Built b = dialer(2);
    Connection c = b.host().dial(circuit(r, a.host().peerId())).get(20, TimeUnit.SECONDS);
    // Under the limit: the data gets through and the circuit stays.
    send(c, 8 * 1024).get(20, TimeUnit.SECONDS);
    b.ping().ping(c, 1).get(20, TimeUnit.SECONDS);
    assertThat(c.closeFuture()).isNotDone();
    // Over it: the relay resets both halves; each end's connection closes.
    send(c, 128 * 1024);
    c.closeFuture().get(20, TimeUnit.SECONDS);
    waitFor(() -> a.host().connections(b.host().peerId()).isEmpty(), "A's end of the circuit to close");
    waitFor(() -> r.service(HopServer.class).orElseThrow().circuits() == 0, "the relay to free the circuit");
    // The reservation outlives the circuit: B can come back.
    Connection again = b.host().dial(circuit(r, a.host().peerId())).get(20, TimeUnit.SECONDS);
    assertThat(again.isLimited()).isTrue();
  }

  @Test void theRelayResetsACircuitAfterItsDuration() throws Exception {
    RelayConfig brief = new RelayConfig(8, 4, 4, 60_000, 16, 4, 1, 128 * 1024, 10_000);
    HostBuilder.Built r = relay(brief);
    HostBuilder.Built a = privatePeer(1, r);
    HostBuilder.Built b = dialer(2);
    Connection c = b.host().dial(circuit(r, a.host().peerId())).get(20, TimeUnit.SECONDS);
    b.ping().ping(c, 1).get(20, TimeUnit.SECONDS);
    c.closeFuture().get(20, TimeUnit.SECONDS);
    waitFor(() -> r.service(HopServer.class).orElseThrow().circuits() == 0, "the relay to free the circuit");
  }

  @Test void malformedHopMessagesGetAnErrorStatusAndAClosedStream() throws Exception {
    HostBuilder.Built r = relay(RelayConfig.DEFAULT);
    HostBuilder.Built a = privatePeer(1, r);
    HostBuilder.Built b = dialer(2);
    Connection toR = b.host().dial(addr(r)).get(20, TimeUnit.SECONDS);
    // garbage that is no protobuf
    assertThat(rawHop(toR, frame(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}))).isEqualTo(RelayMessage.Status.MALFORMED_MESSAGE);
    // a length prefix beyond the limit: refused before a body byte is buffered
    assertThat(rawHop(toR, Unpooled.wrappedBuffer(dev.weft.p2p.multiformats.Varint.encode(1 << 20)))).isEqualTo(RelayMessage.Status.MALFORMED_MESSAGE);
    // a STATUS sent to the relay
    byte[] status = RelayCodec.encodeHop(new RelayMessage.HopStatus(RelayMessage.Status.OK, null, null));
    assertThat(rawHop(toR, frame(status))).isEqualTo(RelayMessage.Status.UNEXPECTED_MESSAGE);
    assertThat(r.service(HopServer.class).orElseThrow().malformedMessages()).isEqualTo(2);
    // the relay carries on serving honest peers
    Connection c = b.host().dial(circuit(r, a.host().peerId())).get(20, TimeUnit.SECONDS);
    b.ping().ping(c, 1).get(20, TimeUnit.SECONDS);
  }

  /** Sends {@code bytes} on a hop stream and returns the status the relay answered, checking the stream then ends. */
  static RelayMessage.Status rawHop(Connection toRelay, ByteBuf bytes) throws Exception {
    Stream s = toRelay.newStream(List.of(RelayProtocol.HOP)).get(10, TimeUnit.SECONDS);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<Void> remoteClosed = new CompletableFuture<>();
    s.setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {
        byte[] b = new byte[data.readableBytes()];
        data.readBytes(b);
        got.writeBytes(b);
      }

      @Override public void onRemoteClosed(Stream stream) {
        remoteClosed.complete(null);
      }

      @Override public void onClosed(Stream stream, Throwable cause) {
        remoteClosed.complete(null);
      }
    });
    s.write(bytes);
    remoteClosed.get(10, TimeUnit.SECONDS);
    s.reset();
    byte[] all = got.toByteArray();
    var len = dev.weft.p2p.multiformats.Varint.decode(all, 0);
    byte[] body = java.util.Arrays.copyOfRange(all, len.length(), len.length() + (int) len.value());
    return ((RelayMessage.HopStatus) RelayCodec.decodeHop(body)).status();
  }

  static ByteBuf frame(byte[] body) {
    return HeaderReader.frame(body);
  }

  static CompletableFuture<Void> send(Connection c, int bytes) {
    return c.newStream(List.of(SINK)).thenCompose(s -> s.write(Unpooled.wrappedBuffer(new byte[bytes])).thenCompose(v -> s.closeWrite()));
  }
}
