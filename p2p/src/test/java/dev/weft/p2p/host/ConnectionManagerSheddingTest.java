package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full connection table admits a newcomer by closing the longest-idle connection whose peer
 * never answered identify (here: peers that serve no identify), and trimming closes such
 * connections before identified ones. Without shedding the newcomer is refused.
 */
@Timeout(60)
class ConnectionManagerSheddingTest {
  final SimNet net = new SimNet(7);
  /** 3 connections at most, no idle timeout, trimming only when asked (long check interval). */
  static final ConnectionManagerConfig THREE = new ConnectionManagerConfig(3, 1, 3, 3, 0, 0, 3_600_000, 64);

  @AfterEach void close() {
    net.close();
  }

  private Connection connect(BasicHost from, BasicHost to) {
    Connection c = net.await(from.dial(to.listenAddresses().get(0).withPeerId(to.peerId())), 1_000);
    net.sim.runFor(200); // identify, where served, completes
    return c;
  }

  @Test void aFullTableShedsTheIdleUnidentifiedConnectionForANewcomer() {
    BasicHost hub = net.add(1, b -> b.connectionManager(THREE)).host();
    BasicHost a = net.add(10).host();
    BasicHost silent = net.add(11, b -> b.identify(false)).host();
    BasicHost b = net.add(12).host();
    connect(a, hub);
    Connection silentConn = connect(silent, hub);
    connect(b, hub);
    assertThat(hub.connections()).hasSize(3);
    Connection newcomer = connect(net.add(13).host(), hub);
    assertThat(newcomer.closeFuture()).isNotDone();
    assertThat(silentConn.closeFuture()).as("the peer that never identified goes").isDone();
    assertThat(hub.connections(a.peerId())).hasSize(1);
    assertThat(hub.connections(b.peerId())).hasSize(1);
    assertThat(hub.connectionManager().shedCount()).isEqualTo(1);
  }

  @Test void withoutSheddingTheNewcomerIsRefused() {
    BasicHost hub = net.add(1, b -> b.connectionManager(THREE.withShedUnidentifiedWhenFull(false))).host();
    connect(net.add(10).host(), hub);
    Connection silentConn = connect(net.add(11, b -> b.identify(false)).host(), hub);
    connect(net.add(12).host(), hub);
    Connection newcomer = connect(net.add(13).host(), hub);
    assertThat(newcomer.closeFuture()).as("refused").isDone();
    assertThat(silentConn.closeFuture()).isNotDone();
  }

  @Test void identifiedPeersAreSparedWhileAnyUnidentifiedOneRemains() {
    BasicHost hub = net.add(1, b -> b.connectionManager(THREE)).host();
    Connection silentConn = connect(net.add(11, b -> b.identify(false)).host(), hub);
    connect(net.add(10).host(), hub);
    connect(net.add(12).host(), hub);
    // The first newcomer takes the unidentified peer's place; the second finds only identified
    // peers, though they are older and idle, and is refused.
    connect(net.add(13).host(), hub);
    Connection second = connect(net.add(14).host(), hub);
    assertThat(silentConn.closeFuture()).isDone();
    assertThat(second.closeFuture()).isDone();
    assertThat(hub.connections()).hasSize(3);
  }

  @Test void trimmingClosesUnidentifiedConnectionsBeforeIdentifiedOnes() {
    BasicHost hub = net.add(1, b -> b.connectionManager(new ConnectionManagerConfig(10, 1, 2, 2, 0, 0, 3_600_000, 64))).host();
    Connection silentConn = connect(net.add(11, b -> b.identify(false)).host(), hub);
    BasicHost x = net.add(10).host();
    BasicHost y = net.add(12).host();
    connect(x, hub);
    connect(y, hub);
    hub.connectionManager().check();
    net.sim.runFor(100);
    assertThat(silentConn.closeFuture()).as("the oldest, but unidentified: trimmed first").isDone();
    assertThat(hub.connections(x.peerId())).hasSize(1);
    assertThat(hub.connections(y.peerId())).hasSize(1);
  }
}
