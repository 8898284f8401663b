package dev.weft.p2p.resource;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The client half of scripts/bench-idle-rss.sh: opens {@code count} fully upgraded connections,
 * each from a fresh identity, to a server on 127.0.0.1:{@code port} whose identity is
 * {@code Ed25519.fromSeedNumber(serverSeed)}, and holds them idle. The default limits allow 64
 * connections per source address and 128 per /24, so connections go out through forwarders bound
 * to 127.0.10.1, 127.0.11.1, ... ({@code perSource} each). Prints {@code alive N} every second,
 * {@code READY alive N} once every dial has finished, then holds for {@code holdSeconds}.
 *
 * <pre>java -cp ... dev.weft.p2p.resource.IdleConnectionsBench PORT SERVER_SEED COUNT [PER_SOURCE] [HOLD_SECONDS]</pre>
 */
public final class IdleConnectionsBench {
  private IdleConnectionsBench() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    PeerId server = PeerId.fromPublicKey(Ed25519.fromSeedNumber(Long.parseLong(args[1])).publicKey());
    int count = Integer.parseInt(args[2]);
    int perSource = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    int holdSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    int sources = (count + perSource - 1) / perSource;
    List<SourceAddressProxy> proxies = new ArrayList<>();
    for (int i = 0; i < sources; i++) proxies.add(new SourceAddressProxy("127.0." + (10 + i) + ".1", target));
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    List<TcpTransport> transports = new ArrayList<>();
    List<Connection> held = new ArrayList<>();
    int failed = 0;
    long start = System.nanoTime();
    try {
      // At most 6 handshakes in flight per source: under the default share of 8 per address.
      List<Semaphore> inFlight = new ArrayList<>();
      for (int i = 0; i < sources; i++) inFlight.add(new Semaphore(6));
      List<CompletableFuture<Connection>> dials = new ArrayList<>();
      long lastReport = System.nanoTime();
      for (int k = 0; k < perSource; k++) {
        for (int s = 0; s < sources; s++) {
          int n = s * perSource + k;
          if (n >= count) continue;
          Semaphore sem = inFlight.get(s);
          sem.acquire();
          TcpTransport t = new TcpTransport(Ed25519.fromSeedNumber(1_000_000L + n), TcpTransportConfig.DEFAULT, loops);
          transports.add(t);
          Multiaddr via = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + proxies.get(s).port()).withPeerId(server);
          CompletableFuture<Connection> d = t.dial(via, server, UpgradedConnectionFloodTest.SILENT);
          d.whenComplete((c, e) -> sem.release());
          dials.add(d);
          if (System.nanoTime() - lastReport > 1_000_000_000L) {
            lastReport = System.nanoTime();
            System.out.println("alive " + alive(dials));
          }
        }
      }
      for (CompletableFuture<Connection> d : dials) {
        try {
          held.add(d.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
          failed++;
        }
      }
      System.out.printf("READY alive %d failed %d after %.1f s%n", alive(held), failed, (System.nanoTime() - start) / 1e9);
      for (int i = 0; i < holdSeconds; i++) {
        Thread.sleep(1000);
        System.out.println("alive " + alive(held));
      }
    } finally {
      for (TcpTransport t : transports) t.close();
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      for (SourceAddressProxy p : proxies) p.close();
    }
  }

  private static long alive(List<?> connectionsOrDials) {
    long n = 0;
    for (Object o : connectionsOrDials) {
      Connection c = o instanceof Connection x ? x
          : ((CompletableFuture<?>) o).isDone() && !((CompletableFuture<?>) o).isCompletedExceptionally() ? (Connection) ((CompletableFuture<?>) o).join() : null;
      if (c != null && !c.closeFuture().isDone()) n++;
    }
    return n;
  }
}
