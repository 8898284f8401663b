package dev.weft.p2p.nat.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.HopServer;
import dev.weft.p2p.nat.relay.RelayClient;
import dev.weft.p2p.nat.relay.RelayClientConfig;
import dev.weft.p2p.nat.relay.RelayConfig;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DCUtR on loopback TCP: B dials A through relay R; A (which accepted the relayed connection)
 * runs the initiator, B the responder; a direct connection forms, the relayed one is closed, and
 * the relay's circuit ends. Loopback has no NAT: this shows the exchange and the migration, not
 * that holes get punched (that needs the namespace bed).
 */
@Timeout(90)
class DcutrIT {
  final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach void close() {
    for (int i = hosts.size() - 1; i >= 0; i--) hosts.get(i).close();
  }

  @AfterAll static void collectSoLeaksAreReported() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
    }
  }

  HostBuilder.Built host(long seed, ServiceFactory<?>... services) {
    HostBuilder b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen("/ip4/127.0.0.1/tcp/0");
    for (ServiceFactory<?> s : services) b.service(s);
    HostBuilder.Built h = b.buildWithServices();
    h.host().start().join();
    hosts.add(h.host());
    return h;
  }

  static Multiaddr addr(HostBuilder.Built h) {
    return h.host().listenAddresses().get(0).withPeerId(h.host().peerId());
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  // Was a known defect (failed one run in two, alone or in the suite: "expected 1 attempt but was
  // 2"): on loopback the server's SYN reaches the client's listener, the client's connect then
  // fails for its taken four-tuple, and the accepted channel was sometimes not registered yet
  // (its accept runs on another event loop), so both ends upgraded as responders until the punch
  // timed out. TcpTransport.dialSimultaneous now waits up to ACCEPT_RACE_MILLIS for that accept.
  @Test
  void aRelayedConnectionIsUpgradedToADirectOneAndTheRelayedOneClosed() throws Exception {
    HostBuilder.Built r = host(100, HopServer.factory(RelayConfig.DEFAULT));
    HostBuilder.Built a = host(1, RelayClient.factory(RelayClientConfig.of(List.of(addr(r)))), DcutrService.factory(DcutrConfig.DEFAULT));
    HostBuilder.Built b = host(2, RelayClient.factory(RelayClientConfig.dialOnly()), DcutrService.factory(DcutrConfig.DEFAULT));
    waitFor(() -> !a.service(RelayClient.class).orElseThrow().reservations().isEmpty(), "A's reservation");

    Connection relayed = b.host().dial(addr(r).encapsulate("/p2p-circuit").withPeerId(a.host().peerId())).get(20, TimeUnit.SECONDS);
    assertThat(relayed.isLimited()).isTrue();

    DcutrService atA = a.service(DcutrService.class).orElseThrow();
    waitFor(() -> !atA.outcomes().isEmpty(), "A's upgrade to end");
    DcutrService.Outcome o = atA.outcomes().get(0);
    assertThat(o.direct()).as(o.toString()).isTrue();
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.rttMillis()).isGreaterThanOrEqualTo(0);

    relayed.closeFuture().get(20, TimeUnit.SECONDS);
    waitFor(() -> b.host().connections(a.host().peerId()).stream().noneMatch(Connection::isLimited), "B to drop the relayed connection");
    waitFor(() -> a.host().connections(b.host().peerId()).stream().noneMatch(Connection::isLimited), "A to drop the relayed connection");
    assertThat(b.host().connections(a.host().peerId())).isNotEmpty().noneMatch(Connection::isLimited);
    waitFor(() -> r.service(HopServer.class).orElseThrow().circuits() == 0, "the relay's circuit to end");
    // New streams use the direct connection.
    assertThat(b.ping().ping(a.host().peerId(), 2).get(20, TimeUnit.SECONDS)).hasSize(2);
    assertThat(b.service(DcutrService.class).orElseThrow().outcomes()).singleElement().satisfies(x -> assertThat(x.direct()).isTrue());
  }

  @Test void aDcutrStreamOnADirectConnectionIsRefused() throws Exception {
    HostBuilder.Built a = host(1, DcutrService.factory(DcutrConfig.DEFAULT));
    HostBuilder.Built b = host(2, DcutrService.factory(DcutrConfig.DEFAULT));
    Connection c = b.host().dial(addr(a)).get(20, TimeUnit.SECONDS);
    var s = c.newStream(List.of(DcutrService.PROTOCOL_ID)).get(20, TimeUnit.SECONDS);
    s.closeFuture().get(20, TimeUnit.SECONDS);
    assertThat(a.service(DcutrService.class).orElseThrow().outcomes()).isEmpty();
  }
}
