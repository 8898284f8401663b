package dev.weft.p2p.nat.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.HopServer;
import dev.weft.p2p.protocol.autonat.Reachability;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NatTraversal} on hosts over real loopback TCP, as a node runs it: nobody configures a
 * relay; the policy finds one among connected peers. A volunteer that listens nowhere (it can only
 * dial out, like one behind a NAT it cannot map) calls itself private, reserves a slot on the
 * relay it is connected to, advertises the circuit address, and is reached through it. One that
 * listens on an address AutoNAT confirms reserves nothing. Port mapping is off: no test talks to
 * a real gateway.
 */
@Timeout(60)
class NatTraversalLoopbackIT {
  static final NatConfig FAST = NatConfig.DEFAULT.withoutPortMapping().withLan(true).withConfirmations(1).withTiming(500, 60_000, 500, 100);
  final List<AutoCloseable> open = new ArrayList<>();
  final ExecutorService blocking = Executors.newSingleThreadExecutor();

  record Node(HostBuilder.Built built, NatTraversal nat) {
    BasicHost host() {
      return built.host();
    }
  }

  Node node(long seed, NatConfig config, boolean listen) {
    HostBuilder b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new);
    if (listen) b.listen("/ip4/127.0.0.1/tcp/0");
    NatTraversal.Prepared p = NatTraversal.prepare(b, config);
    HostBuilder.Built built = b.buildWithServices();
    built.host().start().join();
    open.add(built.host());
    NatTraversal n = p.start(built, new Random(seed), blocking);
    open.add(n);
    return new Node(built, n);
  }

  @AfterEach void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    blocking.shutdownNow();
  }

  static Multiaddr addr(Node n) {
    return n.host().listenAddresses().get(0).withPeerId(n.host().peerId());
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test void aVolunteerThatCannotBeDialledFindsARelayReservesAndIsReachedThroughIt() throws Exception {
    Node relay = node(1, FAST, true);
    Node volunteer = node(2, FAST, false);
    volunteer.host().dial(addr(relay)).get(10, TimeUnit.SECONDS);
    waitFor(() -> !volunteer.nat().relayClient().reservations().isEmpty(), "the volunteer to reserve on the relay it found");
    NatTraversal.Report r = volunteer.nat().report();
    assertThat(r.policy().reachability()).isEqualTo(Reachability.Status.PRIVATE);
    assertThat(r.policy().why()).contains("no address");
    Multiaddr circuit = addr(relay).encapsulate("/p2p-circuit").withPeerId(volunteer.host().peerId());
    waitFor(() -> volunteer.host().advertisedAddresses().contains(circuit), "the circuit address to be advertised");
    assertThat(r.line()).contains("reachability private");
    assertThat(relay.built().service(HopServer.class).orElseThrow().reservations()).isEqualTo(1);

    Node other = node(3, FAST, true);
    Connection c = other.host().dial(circuit).get(20, TimeUnit.SECONDS);
    assertThat(c.isLimited()).isTrue();
    assertThat(other.built().ping().ping(c, 2).get(20, TimeUnit.SECONDS)).hasSize(2);
  }

  @Test void aVolunteerAutonatConfirmsReservesNothing() throws Exception {
    Node relay = node(1, FAST, true);
    Node volunteer = node(2, FAST, true);
    volunteer.host().dial(addr(relay)).get(10, TimeUnit.SECONDS);
    waitFor(() -> volunteer.nat().report().policy().reachability() == Reachability.Status.PUBLIC, "AutoNAT to confirm the volunteer's address");
    assertThat(volunteer.nat().report().policy().why()).contains("dialled us back");
    Thread.sleep(1_000); // a few more policy ticks
    assertThat(volunteer.nat().relayClient().reservations()).isEmpty();
    assertThat(relay.built().service(HopServer.class).orElseThrow().reservations()).isZero();
  }

  @Test void withTheRelayClientOffTheSameVolunteerStaysUnreachable() throws Exception {
    Node relay = node(1, FAST, true);
    Node volunteer = node(2, FAST.withPieces(true, true, false, true, true, false), false);
    volunteer.host().dial(addr(relay)).get(10, TimeUnit.SECONDS);
    waitFor(() -> volunteer.nat().report().policy().reachability() == Reachability.Status.PRIVATE, "the volunteer to call itself private");
    Thread.sleep(1_000);
    assertThat(volunteer.nat().relayClient().reservations()).isEmpty();
    Node other = node(3, FAST, true);
    Multiaddr circuit = addr(relay).encapsulate("/p2p-circuit").withPeerId(volunteer.host().peerId());
    assertThat(other.host().dial(circuit).handle((c, e) -> e).get(20, TimeUnit.SECONDS)).as("no reservation: the relay refuses the circuit").isNotNull();
  }

  /** A relay that dialled us is a hop at its listen address, not the ephemeral port its connection came from. */
  @Test void aRelayThatDialledUsIsAHopAtItsListenAddress() throws Exception {
    Node volunteer = node(2, FAST, true);
    Node relay = node(1, FAST.withPieces(false, false, false, true, false, false), true);
    // From an ephemeral port, as a dial through a NAT or without port reuse arrives.
    Connection fromRelay = relay.host().dialBack(addr(volunteer)).get(10, TimeUnit.SECONDS);
    assertThat(fromRelay.localAddress()).isNotEqualTo(relay.host().listenAddresses().get(0));
    waitFor(() -> !volunteer.nat().report().policy().hops().isEmpty(), "the volunteer to learn the relay as a hop");
    assertThat(volunteer.host().connections(relay.host().peerId())).allMatch(c -> !c.isInitiator());
    assertThat(volunteer.nat().report().policy().hops()).containsExactly(addr(relay));
  }
}
