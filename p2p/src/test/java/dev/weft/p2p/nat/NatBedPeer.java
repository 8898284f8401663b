package dev.weft.p2p.nat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.dcutr.DcutrConfig;
import dev.weft.p2p.nat.dcutr.DcutrService;
import dev.weft.p2p.nat.relay.HopServer;
import dev.weft.p2p.nat.relay.RelayClient;
import dev.weft.p2p.nat.relay.RelayClientConfig;
import dev.weft.p2p.nat.relay.RelayConfig;
import dev.weft.p2p.protocol.autonat.AutonatClient;
import dev.weft.p2p.protocol.autonat.AutonatClientConfig;
import dev.weft.p2p.protocol.autonat.AutonatServer;
import dev.weft.p2p.protocol.autonat.AutonatServerConfig;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One host of the NAT test bed, run by {@link NatTraversalIT} as its own JVM inside a network
 * namespace ({@code ip netns exec NS java ... NatBedPeer ROLE SEED LISTEN [RELAY]}): a JVM
 * cannot enter a namespace, so each host is a process (or several: a bed needs fresh ports for
 * each repetition, as a punched four-tuple lingers in TIME_WAIT). It prints
 * {@code READY <peer id>...} once listening, then answers one line per command read on stdin,
 * {@code INDEX COMMAND ARGS} addressed to one of its hosts, with {@code OK ...} or
 * {@code ERR ...}. Logs go to stderr.
 *
 * <p>Roles: {@code relay} (hop server, AutoNAT server and client), {@code peer} (reserves on the relay,
 * DCUtR advertising the addresses identify's observers report, AutoNAT client) and
 * {@code peer-noreuse} (the same with the TCP transport's port reuse off). The test bed has
 * one observer group, so one observer confirms an address here (production asks for three).
 *
 * <p>Commands: {@code reserved}, {@code dial MA}, {@code punch CIRCUIT-MA WAIT-MS}, {@code conns PEER}, {@code dcutr},
 * {@code circuits}, {@code ping PEER}, {@code observed}, {@code natcheck MA...}; and
 * {@code quit}, for the whole process.
 */
public final class NatBedPeer {
  private NatBedPeer() {}

  /** One host and what the commands ask of it. */
  record Node(HostBuilder.Built built, ObservedAddressCollector collector, AutonatClient autonat) {
    BasicHost host() {
      return built.host();
    }
  }

  /** The bed's relay: the one /16 holds every NAT, so the per-network limits are the bed's size. */
  static final RelayConfig BED_RELAY = new RelayConfig(128, 64, 32, 60 * 60_000L, 64, 4, 120, 128 * 1024, 10_000);

  /** {@code ROLE SEED IP PORT COUNT [RELAY]}: COUNT hosts with seeds SEED.., ports PORT.. on IP. */
  public static void main(String[] args) throws Exception {
    String role = args[0];
    long seed = Long.parseLong(args[1]);
    String ip = args[2];
    int port = Integer.parseInt(args[3]);
    int count = Integer.parseInt(args[4]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    List<Node> nodes = new ArrayList<>();
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < count; i++) {
      Node n = start(role, seed + i, Multiaddr.parse("/ip4/" + ip + "/tcp/" + (port + i)), args.length > 5 ? args[5] : null);
      nodes.add(n);
      ids.append(' ').append(n.host().peerId());
    }
    out.println("READY" + ids);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      if (w[0].equals("quit")) break;
      try {
        out.println(answer(nodes.get(Integer.parseInt(w[0])), w));
      } catch (Exception e) {
        out.println("ERR " + String.valueOf(e).replace('\n', ' '));
      }
    }
    for (Node n : nodes) n.host().close();
    out.println("OK bye");
    System.exit(0);
  }

  private static Node start(String role, long seed, Multiaddr listen, String relay) throws Exception {
    AtomicReference<List<Multiaddr>> observed = new AtomicReference<>(List.of());
    TcpTransportConfig tcp = TcpTransportConfig.DEFAULT.withReusePort(!role.equals("peer-noreuse"));
    HostBuilder b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(k -> new TcpTransport(k, tcp)).listen(listen);
    if (role.equals("relay")) b.service(HopServer.factory(BED_RELAY));
    HostBuilder.Built built = b.buildWithServices();
    BasicHost host = built.host();
    host.start().get(10, TimeUnit.SECONDS);
    if (!role.equals("relay")) {
      // Installed once listening: the relay client dials at once, and a dial made before the
      // listener exists leaves from an ephemeral port, which R would then report as our address.
      host.install(RelayClient.factory(RelayClientConfig.of(List.of(Multiaddr.parse(relay)))));
      host.install(DcutrService.factory(DcutrConfig.DEFAULT, observed::get));
    }
    ObservedAddressCollector collector = ObservedAddressCollector.attach(built.identify(), host.scheduler(),
        new ObservedAddressConfig(1, 30 * 60_000L, 1024), host::listenAddresses);
    if (role.equals("relay")) AutonatServer.install(host, AutonatServerConfig.DEFAULT);
    AutonatClient autonat = AutonatClient.install(host, AutonatClientConfig.DEFAULT, new SecureRandom());
    Thread.ofVirtual().start(() -> {
      // DCUtR asks for our addresses on the host's scheduler, which must not wait on itself.
      while (true) {
        try {
          observed.set(collector.addresses().get(5, TimeUnit.SECONDS).stream().filter(ObservedAddress::confirmed)
              .map(ObservedAddress::address).toList());
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // the host is closing
        }
      }
    });
    return new Node(built, collector, autonat);
  }

  private static String answer(Node n, String[] w) throws Exception {
    BasicHost host = n.host();
    switch (w[1]) {
      case "reserved" -> {
        return "OK " + host.service(RelayClient.class).map(r -> r.reservations().size()).orElse(0);
      }
      case "dial" -> {
        Connection c = host.dial(Multiaddr.parse(w[2])).get(20, TimeUnit.SECONDS);
        return "OK limited=" + c.isLimited() + " remote=" + c.remoteAddress();
      }
      case "punch" -> {
        // Dial through the relay, then wait for the direct connection DCUtR makes: how long it took.
        Multiaddr circuit = Multiaddr.parse(w[2]);
        PeerId target = circuit.peerId().orElseThrow();
        long waitMillis = Long.parseLong(w[3]);
        Connection c = host.dial(circuit).get(20, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        Connection direct = null;
        while (direct == null && System.nanoTime() < deadline) {
          direct = host.connections(target).stream().filter(x -> !x.isLimited()).findFirst().orElse(null);
          if (direct == null) Thread.sleep(2);
        }
        long ms = direct == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return "OK limited=" + c.isLimited() + " direct_ms=" + ms + " at=" + (direct == null ? "-" : direct.remoteAddress());
      }
      case "conns" -> {
        List<Connection> cs = host.connections(PeerId.fromBase58(w[2]));
        String direct = cs.stream().filter(c -> !c.isLimited()).map(c -> c.remoteAddress().toString()).collect(Collectors.joining(","));
        return "OK direct=" + cs.stream().filter(c -> !c.isLimited()).count() + " limited=" + cs.stream().filter(Connection::isLimited).count()
            + " at=" + (direct.isEmpty() ? "-" : direct);
      }
      case "dcutr" -> {
        return "OK " + host.service(DcutrService.class).map(d -> d.outcomes().stream()
            .map(o -> o.direct() + "," + o.attempts() + "," + o.rttMillis() + "," + o.reason().replace(' ', '_')).collect(Collectors.joining(";")))
            .orElse("");
      }
      case "circuits" -> {
        return "OK " + host.service(HopServer.class).map(HopServer::circuits).orElse(-1);
      }
      case "ping" -> {
        PeerId p = PeerId.fromBase58(w[2]);
        Connection c = host.connections(p).stream().filter(x -> !x.isLimited()).findFirst()
            .orElseGet(() -> host.connections(p).stream().findFirst().orElseThrow(() -> new IllegalStateException("not connected")));
        List<Double> rtts = n.built().ping().ping(c, 1).get(20, TimeUnit.SECONDS);
        return "OK " + rtts.get(0) + " limited=" + c.isLimited();
      }
      case "observed" -> {
        return "OK " + n.collector().addresses().get(5, TimeUnit.SECONDS).stream()
            .map(o -> o.address() + "(" + o.observers() + "," + o.localPorts() + ")").collect(Collectors.joining(" "));
      }
      case "natcheck" -> {
        List<Multiaddr> peers = new ArrayList<>();
        for (int i = 2; i < w.length; i++) peers.add(Multiaddr.parse(w[i]));
        NatReport r = NatCheck.run(host, n.built().identify(), n.autonat(), n.collector(), new NatCheck.Options(peers, 1, 20_000, false, List.of()));
        NatAdvice.Advice a = NatAdvice.of(r);
        return "OK reachability=" + r.reachability() + " verdict=" + a.verdict().replace('\n', ' ') + " todo=" + String.join(" | ", a.todo());
      }
      default -> {
        return "ERR unknown command " + w[1];
      }
    }
  }
}
