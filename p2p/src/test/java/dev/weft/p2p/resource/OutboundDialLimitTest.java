package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connections a host dials count against the same total as those it accepts, reserved before
 * the dial and given back when it fails or the connection closes: over loopback TCP, a host
 * allowed two connections dials two peers and is refused the third with the limit named; with the
 * default limits the same third dial succeeds.
 */
@Timeout(60)
class OutboundDialLimitTest {
  private static final ResourceLimits TWO = ResourceLimits.DEFAULT.withMaxPendingInbound(2).withConnectionLimits(2, 2, 2, 1);
  private final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach void close() {
    for (BasicHost h : hosts) h.close();
  }

  private BasicHost host(int seed, ResourceLimits limits, boolean listen) {
    var b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).resourceLimits(limits);
    if (listen) b.listen("/ip4/127.0.0.1/tcp/0");
    BasicHost h = b.buildWithServices().host();
    hosts.add(h);
    h.start().join();
    return h;
  }

  private static Multiaddr addressOf(BasicHost h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  private static Connection dial(BasicHost from, BasicHost to) throws Exception {
    return from.dial(addressOf(to)).get(10, TimeUnit.SECONDS);
  }

  private static Throwable dialFailure(BasicHost from, Multiaddr to) {
    Throwable t = catchThrowable(() -> from.dial(to).get(10, TimeUnit.SECONDS));
    assertThat(t).as("dial to " + to).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  @Test void aDialOverTheConnectionLimitIsRefusedWithTheLimitNamed() throws Exception {
    BasicHost client = host(1, TWO, false);
    BasicHost a = host(2, ResourceLimits.DEFAULT, true);
    BasicHost b = host(3, ResourceLimits.DEFAULT, true);
    BasicHost c = host(4, ResourceLimits.DEFAULT, true);
    Connection toA = dial(client, a);
    dial(client, b);
    Throwable refused = dialFailure(client, addressOf(c));
    assertThat(refused).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("outbound dial to " + addressOf(c))
        .hasMessageContaining("connections at the limit (2, of which 2 ours)");
    assertThat(client.resourceManager().refusedDials()).isEqualTo(1);
    assertThat(client.resourceManager().snapshot().connections()).isEqualTo(2);
    assertThat(c.connections()).as("nothing reached the refused peer").isEmpty();

    toA.close();
    await("the closed connection's slot is given back", () -> client.resourceManager().snapshot().connections() == 1);
    assertThat(dial(client, c).remotePeer()).isEqualTo(c.peerId());
  }

  @Test void withTheDefaultLimitsTheSameThirdDialSucceeds() throws Exception {
    BasicHost client = host(1, ResourceLimits.DEFAULT, false);
    BasicHost a = host(2, ResourceLimits.DEFAULT, true);
    BasicHost b = host(3, ResourceLimits.DEFAULT, true);
    BasicHost c = host(4, ResourceLimits.DEFAULT, true);
    dial(client, a);
    dial(client, b);
    assertThat(dial(client, c).remotePeer()).isEqualTo(c.peerId());
    assertThat(client.resourceManager().snapshot().connections()).isEqualTo(3);
    assertThat(client.resourceManager().refusedDials()).isZero();
  }

  @Test void inboundAndOutboundConnectionsShareTheTotal() throws Exception {
    BasicHost client = host(1, TWO, true);
    BasicHost a = host(2, ResourceLimits.DEFAULT, true);
    BasicHost b = host(3, ResourceLimits.DEFAULT, true);
    BasicHost c = host(4, ResourceLimits.DEFAULT, true);
    dial(a, client);
    await("the inbound connection is counted", () -> client.connections().size() == 1);
    dial(client, b);
    assertThat(dialFailure(client, addressOf(c))).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("of which 1 ours");
  }

  @Test void aFailedDialGivesItsSlotBack() throws Exception {
    BasicHost client = host(1, ResourceLimits.DEFAULT.withMaxPendingInbound(1).withConnectionLimits(1, 1, 1, 1), false);
    BasicHost a = host(2, ResourceLimits.DEFAULT, true);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Multiaddr nobody = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort).withPeerId(a.peerId());
    for (int i = 0; i < 3; i++) {
      assertThat(dialFailure(client, nobody)).isNotInstanceOf(LimitExceededException.class);
      assertThat(client.resourceManager().snapshot().connections()).as("after failed dial " + i).isZero();
    }
    assertThat(dial(client, a).remotePeer()).as("the only slot is still free").isEqualTo(a.peerId());
  }
}
