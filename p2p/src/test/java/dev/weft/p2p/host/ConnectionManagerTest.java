package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConnectionManagerTest {
  final SimNet net = new SimNet(5);

  @AfterEach void close() {
    net.close();
  }

  static final ConnectionManagerConfig SMALL = new ConnectionManagerConfig(6, 1, 2, 4, 1_000, 0, 500, 64);

  @Test void configIsValidated() {
    assertThatThrownBy(() -> new ConnectionManagerConfig(10, 1, 5, 4, 0, 0, 1, 1)).hasMessageContaining("lowWater");
    assertThatThrownBy(() -> new ConnectionManagerConfig(3, 1, 1, 4, 0, 0, 1, 1)).hasMessageContaining("highWater");
    assertThatThrownBy(() -> new ConnectionManagerConfig(3, 0, 1, 2, 0, 0, 1, 1)).hasMessageContaining("PerPeer");
  }

  @Test void inboundBeyondTheHardLimitIsClosedAndOutboundDialsFail() {
    BasicHost hub = net.add(1, b -> b.connectionManager(SMALL.withWatermarks(6, 6))).host();
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < 8; i++) conns.add(net.await(net.add(10 + i).host().dial(hub.listenAddresses().get(0)), 1000));
    net.sim.runFor(100);
    assertThat(hub.connections()).hasSize(6);
    assertThat(conns.stream().filter(c -> c.closeFuture().isDone())).hasSize(2);
    BasicHost other = net.add(30).host();
    CompletableFuture<Connection> out = hub.dial(other.listenAddresses().get(0));
    net.sim.runFor(100);
    assertThat(out).isCompletedExceptionally();
    assertThatThrownBy(out::join).hasMessageContaining("connection limit");
  }

  @Test void trimsDownToTheLowWatermarkSparingProtectedAndYoungConnections() {
    BasicHost hub = net.add(1, b -> b.connectionManager(SMALL)).host();
    List<BasicHost> peers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BasicHost p = net.add(10 + i).host();
      peers.add(p);
      net.await(p.dial(hub.listenAddresses().get(0)), 1000);
    }
    hub.connectionManager().protect(peers.get(0).peerId());
    net.sim.runFor(100);
    assertThat(hub.connections()).hasSize(6);
    net.sim.runFor(2_000);
    // 6 > high water 4: trimmed to low water 2, the protected peer kept.
    assertThat(hub.connections()).hasSize(2);
    assertThat(hub.connections(peers.get(0).peerId())).hasSize(1);
  }

  @Test void idleConnectionsAreClosed() {
    ConnectionManagerConfig idle = ConnectionManagerConfig.DEFAULT.withIdleTimeout(3_000);
    BasicHost a = net.add(1, b -> b.connectionManager(idle)).host();
    BasicHost b = net.add(2).host();
    net.await(b.dial(a.listenAddresses().get(0)), 1000);
    net.sim.runFor(1_000);
    assertThat(a.connections()).hasSize(1);
    net.sim.runFor(ConnectionManagerConfig.DEFAULT.checkIntervalMillis() + 3_000);
    assertThat(a.connections()).isEmpty();
  }

  @Test void perPeerLimitRefusesExtraForcedConnections() {
    BasicHost a = net.add(1, b -> b.connectionManager(SMALL)).host();
    BasicHost b = net.add(2).host();
    net.await(a.dial(b.listenAddresses().get(0).withPeerId(b.peerId())), 1000);
    CompletableFuture<Connection> extra = a.dial(b.listenAddresses().get(0).withPeerId(b.peerId()), true);
    net.sim.runFor(100);
    assertThatThrownBy(extra::join).hasMessageContaining("per-peer");
  }
}
