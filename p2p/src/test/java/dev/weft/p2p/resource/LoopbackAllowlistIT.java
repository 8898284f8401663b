package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loopback testnet, where every node reaches every other from 127.0.0.1: with the default
 * limits one node holds at most 8 handshakes and 64 connections from that one address; with
 * 127.0.0.0/8 and ::1/128 allowlisted it holds all that the totals allow. Real TCP on loopback.
 */
@Timeout(90)
class LoopbackAllowlistIT {
  static final int PEERS = 72;
  static final int SILENT = 20;
  BasicHost server;
  EventLoopGroup loops;
  final List<TcpTransport> clients = new ArrayList<>();

  @AfterEach void close() {
    for (TcpTransport t : clients) t.close();
    if (loops != null) loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (server != null) server.close();
  }

  private Multiaddr start(ResourceLimits limits) {
    server = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(1)).transport(TcpTransport::new).resourceLimits(limits)
        .listen("/ip4/127.0.0.1/tcp/0").buildWithServices().host();
    server.start().join();
    loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    return server.listenAddresses().get(0).withPeerId(server.peerId());
  }

  /** {@link #PEERS} upgraded connections from fresh identities, at most 6 handshakes at a time (under the share of 8); returns how many the server kept. */
  private int upgradedConnectionsHeld(Multiaddr addr) throws Exception {
    List<Connection> held = new ArrayList<>();
    for (int batch = 0; batch < PEERS; batch += 6) {
      List<CompletableFuture<Connection>> dials = new ArrayList<>();
      for (int i = batch; i < Math.min(PEERS, batch + 6); i++) {
        TcpTransport t = new TcpTransport(Ed25519.fromSeedNumber(10_000 + i), TcpTransportConfig.DEFAULT, loops);
        clients.add(t);
        dials.add(t.dial(addr, server.peerId(), UpgradedConnectionFloodTest.SILENT));
      }
      for (CompletableFuture<Connection> d : dials) {
        try {
          held.add(d.get(20, TimeUnit.SECONDS));
        } catch (Exception refused) {
          // refused at accept: the source's connection limit
        }
      }
    }
    return settle(() -> (int) held.stream().filter(c -> !c.closeFuture().isDone()).count());
  }

  /** {@link #SILENT} TCP connections from 127.0.0.1 that never speak; returns how many handshakes the server holds for them. */
  private int silentHandshakesHeld() throws Exception {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.listenAddresses().get(0).toInetSocketAddress().getPort());
    try (SilentAttacker a = new SilentAttacker("127.0.0.1", target, SILENT, 0, SILENT).start()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (a.opened.get() < SILENT && System.nanoTime() < deadline) Thread.sleep(10);
      return settle(() -> server.resourceManager().snapshot().pendingInbound());
    } finally {
      // Gone before the upgraded connections come, so the per-address count starts from zero.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.resourceManager().snapshot().connections() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    }
  }

  /** The value once it has stopped changing for half a second (within 10 s). */
  private static int settle(IntSupplier value) throws InterruptedException {
    int last = value.getAsInt();
    long stableSince = System.nanoTime();
    long deadline = stableSince + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Thread.sleep(20);
      int now = value.getAsInt();
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 500_000_000L) {
        break;
      }
    }
    return last;
  }

  @Test void withTheDefaultsOneLoopbackSourceIsCapped() throws Exception {
    Multiaddr addr = start(ResourceLimits.DEFAULT);
    assertThat(silentHandshakesHeld()).as("handshakes held from 127.0.0.1").isEqualTo(ResourceLimits.DEFAULT.maxPendingPerIp());
    assertThat(upgradedConnectionsHeld(addr)).as("upgraded connections held from 127.0.0.1")
        .isEqualTo(ResourceLimits.DEFAULT.maxConnectionsPerIp());
  }

  @Test void withLoopbackAllowlistedItIsNot() throws Exception {
    Multiaddr addr = start(ResourceLimits.DEFAULT.withAllowlist(AddressPrefix.LOOPBACK));
    assertThat(silentHandshakesHeld()).as("handshakes held from 127.0.0.1").isEqualTo(SILENT);
    assertThat(upgradedConnectionsHeld(addr)).as("upgraded connections held from 127.0.0.1").isEqualTo(PEERS);
    assertThat(server.resourceManager().snapshot().refusedConnections()).isZero();
  }
}
