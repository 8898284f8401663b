package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ConnectionGater;
import dev.weft.p2p.api.GatedException;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection gater between two hosts over loopback TCP: a refused dial fails with the gater's
 * reason and makes no connection, an inbound connection from a refused peer is closed and
 * counted, {@link BasicHost#regate} closes an open connection once the rules refuse it, and the
 * same dial succeeds when the gater allows it again; without a refusal the connection forms.
 */
@Timeout(60)
class ConnectionGaterIT {
  /** Refuses the peers in {@link #blocked}, as the testnet's partition does. */
  static final class BlockList implements ConnectionGater {
    final Set<PeerId> blocked = ConcurrentHashMap.newKeySet();

    @Override public String refuseDial(PeerId peer, Multiaddr address) {
      return peer != null && blocked.contains(peer) ? "peer " + peer + " is on the block list" : null;
    }

    @Override public String refuseConnection(Connection c) {
      return blocked.contains(c.remotePeer()) ? "peer " + c.remotePeer() + " is on the block list" : null;
    }
  }

  final BlockList serverRules = new BlockList(), clientRules = new BlockList();
  BasicHost server, client;

  @AfterEach void close() {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  private Multiaddr start() {
    server = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new).gater(serverRules)
        .listen("/ip4/127.0.0.1/tcp/0").build();
    server.start().join();
    client = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(2)).transport(TcpTransport::new).gater(clientRules).build();
    return server.listenAddresses().get(0).withPeerId(server.peerId());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
      Thread.sleep(10);
    }
  }

  @Test void aRefusedDialFailsWithTheReasonAndSucceedsOnceAllowed() throws Exception {
    Multiaddr addr = start();
    clientRules.blocked.add(server.peerId());
    assertThatThrownBy(() -> client.dial(addr).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(GatedException.class).hasMessageContaining("refused by the connection gater")
        .hasMessageContaining("is on the block list");
    // connect() dials the peer store's addresses in turn: the reason survives into its failure.
    client.peerStore().addAddresses(server.peerId(), java.util.List.of(server.listenAddresses().get(0)), 60_000);
    assertThatThrownBy(() -> client.connect(server.peerId()).get(10, TimeUnit.SECONDS)).hasMessageContaining("is on the block list");
    assertThat(client.gatedCounts().dials()).isEqualTo(2);
    assertThat(client.connections()).isEmpty();
    Thread.sleep(200);
    assertThat(server.connections()).as("a refused dial opens no socket").isEmpty();

    clientRules.blocked.clear();
    Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(server.peerId());
    await(() -> server.connections().size() == 1, "the server sees the allowed connection");
  }

  @Test void anInboundConnectionFromARefusedPeerIsClosedAndCounted() throws Exception {
    Multiaddr addr = start();
    serverRules.blocked.add(client.peerId());
    // The client has no objection: its dial may complete before the server closes it, or fail as it does.
    Connection c;
    try {
      c = client.dial(addr).get(10, TimeUnit.SECONDS);
      c.closeFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      c = null;
    }
    await(() -> server.gatedCounts().inbound() == 1, "the server counts the refused connection");
    await(() -> client.connections().isEmpty(), "the client's connection closes");
    assertThat(server.connections()).isEmpty();

    // The contrast: the same dial once the server allows the peer forms a connection that stays.
    serverRules.blocked.clear();
    Connection kept = client.dial(addr).get(10, TimeUnit.SECONDS);
    await(() -> server.connections().size() == 1, "the server keeps the allowed connection");
    Thread.sleep(300);
    assertThat(kept.closeFuture()).isNotDone();
    assertThat(server.gatedCounts().inbound()).isEqualTo(1);
  }

  @Test void regateClosesOpenConnectionsTheRulesNowRefuseAndTheyReformWhenAllowed() throws Exception {
    Multiaddr addr = start();
    Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
    await(() -> server.connections().size() == 1, "connected");
    assertThat(server.regate()).as("nothing refused yet").isZero();

    serverRules.blocked.add(client.peerId());
    assertThat(server.regate()).isEqualTo(1);
    c.closeFuture().get(10, TimeUnit.SECONDS);
    await(() -> client.connections().isEmpty() && server.connections().isEmpty(), "both sides lose the connection");
    assertThat(server.gatedCounts().regated()).isEqualTo(1);

    serverRules.blocked.clear();
    Connection again = client.dial(addr).get(10, TimeUnit.SECONDS);
    assertThat(again.id()).isNotEqualTo(c.id());
    await(() -> server.connections().size() == 1, "reconnected after the heal");
  }

  @Test void aDialToAnAddressNamingNoPeerIsRefusedOnceThePeerAuthenticates() throws Exception {
    Multiaddr addr = start();
    clientRules.blocked.add(server.peerId());
    Multiaddr bare = addr.withoutPeerId();
    assertThatThrownBy(() -> client.dial(bare).get(10, TimeUnit.SECONDS)).cause().isInstanceOf(GatedException.class)
        .hasMessageContaining("connection to " + server.peerId()).hasMessageContaining("is on the block list");
    assertThat(client.gatedCounts()).isEqualTo(new BasicHost.GatedCounts(0, 0, 1, 0));
    assertThat(client.connections()).isEmpty();
  }
}
