package dev.weft.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.Output;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.NatAdvice;
import dev.weft.p2p.nat.NatCheck;
import dev.weft.p2p.nat.NatReport;
import dev.weft.p2p.nat.ObservedAddress;
import dev.weft.p2p.nat.ObservedAddressCollector;
import dev.weft.p2p.nat.ObservedAddressConfig;
import dev.weft.p2p.nat.mapping.DefaultGateway;
import dev.weft.p2p.nat.mapping.PortMappingCheck;
import dev.weft.p2p.protocol.autonat.AutonatClient;
import dev.weft.p2p.protocol.autonat.AutonatClientConfig;
import dev.weft.p2p.protocol.autonat.AutonatProbe;
import dev.weft.p2p.protocol.autonat.Reachability;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft doctor}: can other volunteers reach this machine? Starts a host, connects to the
 * given peers, asks them with AutoNAT to dial back the addresses they see us at, and explains the
 * result ({@link NatCheck}, {@link NatAdvice}). Human report on stderr; {@code --json}: the
 * report as one JSON document on stdout. Exit 0 once a check ran (whatever it found), 1 when no
 * peer could be reached.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Check whether other volunteers can reach this node directly, and say what to do if not.",
    footer = {"", "Examples:",
        "  weft doctor --peer /ip4/198.51.100.7/tcp/4001/p2p/12D3KooW... --peer /ip4/203.0.113.9/tcp/4001/p2p/12D3KooW...",
        "  weft doctor --listen /ip4/0.0.0.0/tcp/4001 --peer /dns4/boot.example.org/tcp/4001/p2p/12D3KooW...",
        "  weft doctor --test-address /ip4/203.0.113.20/tcp/4001 --peer ...   after forwarding port 4001 on the router",
        "  weft doctor --json --peer ... | jq .reachability"})
public final class DoctorCommand implements Callable<Integer> {
  @Mixin Output out;

  @Option(names = "--key", paramLabel = "FILE", description = "Identity key file (default: a fresh identity for this check).")
  Path key;

  @Option(names = "--seed", paramLabel = "N", description = "Deterministic Ed25519 identity from a number (tests only).")
  Long seed;

  @Option(names = "--listen", paramLabel = "MULTIADDR", split = ",", defaultValue = "/ip4/0.0.0.0/tcp/0",
      description = "Address to listen on, as 'weft node' would (default: ${DEFAULT-VALUE}).")
  List<String> listen = new ArrayList<>();

  @Option(names = "--peer", paramLabel = "MULTIADDR", split = ",", required = true,
      description = "A peer to ask, with /p2p/<id> (repeatable; 3 or more for a verdict).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--test-address", paramLabel = "MULTIADDR", split = ",",
      description = "Also test this address (e.g. your router's public IP with a forwarded port).")
  List<String> alsoTest = new ArrayList<>();

  @Option(names = "--confirmations", defaultValue = "3", paramLabel = "N",
      description = "Peers that must agree before calling an address reachable or not (default: ${DEFAULT-VALUE}).")
  int confirmations;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Time allowed for each step (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--include-private", description = "Test private and loopback addresses too (a LAN or a test bed).")
  boolean includePrivate;

  @Option(names = "--gateway", paramLabel = "IPV4", description = "The router to ask for a port mapping (default: the IPv4 default gateway).")
  String gateway;

  @Option(names = "--no-port-mapping", description = "Do not ask the router (NAT-PMP) to map the listen port for the test.")
  boolean noPortMapping;

  /** Long enough for the check, short enough that a crashed doctor leaves no lasting hole. */
  static final long MAPPING_LIFETIME_SECONDS = 300;

  @Override public Integer call() throws Exception {
    if (confirmations < 1) throw new CommandLine.ParameterException(out.commandLine(), "--confirmations must be at least 1");
    if (timeoutSeconds < 1) throw new CommandLine.ParameterException(out.commandLine(), "--timeout must be at least 1 second");
    List<Multiaddr> peerAddrs = parse("--peer", peers);
    for (Multiaddr p : peerAddrs) {
      if (p.peerId().isEmpty()) throw new CommandLine.ParameterException(out.commandLine(), "--peer " + p + " has no /p2p/<peer id>");
    }
    List<Multiaddr> test = parse("--test-address", alsoTest);
    HostBuilder b = BasicHost.builder().privateKey(privateKey()).transport(TcpTransport::new);
    for (Multiaddr l : parse("--listen", listen)) b.listen(l);
    HostBuilder.Built built = b.buildWithServices();
    try (BasicHost host = built.host()) {
      try {
        host.start().get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("cannot listen: " + e.getCause().getMessage(), e.getCause());
      }
      AutonatClient client = AutonatClient.install(host, AutonatClientConfig.DEFAULT, new SecureRandom());
      ObservedAddressCollector collector = ObservedAddressCollector.attach(built.identify(), host.scheduler(),
          ObservedAddressConfig.DEFAULT, host::listenAddresses);
      out.say("weft doctor: peer id %s; asking %d peer(s)...", host.peerId(), peerAddrs.size());
      PortMappingCheck.Status mapping = null;
      if (!noPortMapping) {
        int port = listenPort(host);
        java.util.Optional<java.net.Inet4Address> gw = DefaultGateway.system();
        if (gateway != null) {
          try {
            gw = java.util.Optional.of((java.net.Inet4Address) java.net.InetAddress.getByName(gateway));
          } catch (IOException | ClassCastException e) {
            throw new CommandLine.ParameterException(out.commandLine(), "--gateway " + gateway + " is not an IPv4 address");
          }
        }
        mapping = port > 0 ? PortMappingCheck.map(gw, port, MAPPING_LIFETIME_SECONDS, 3)
            : new PortMappingCheck.Status(null, null, 0, 0, 0, "no TCP listen port");
        if (mapping.mapped()) test.add(Multiaddr.parse("/ip4/" + mapping.externalIp() + "/tcp/" + mapping.externalPort()));
      }
      NatReport r;
      try {
        r = NatCheck.run(host, built.identify(), client, collector,
            new NatCheck.Options(peerAddrs, confirmations, TimeUnit.SECONDS.toMillis(timeoutSeconds), includePrivate, test));
      } finally {
        if (mapping != null) PortMappingCheck.remove(mapping, 3);
      }
      NatAdvice.Advice advice = NatAdvice.of(r);
      if (out.json()) {
        ObjectNode j = json(r, advice);
        if (mapping != null) j.set("portMapping", mappingJson(mapping));
        out.json(j);
      } else {
        out.text(human(r, advice) + (mapping == null ? "" : mappingText(mapping)));
      }
      if (r.reached() == 0) {
        out.say("weft: doctor: no peer could be reached");
        return 1;
      }
      return 0;
    }
  }

  private static int listenPort(BasicHost host) {
    for (Multiaddr a : host.listenAddresses()) {
      var p = a.valueOf(dev.weft.p2p.multiformats.Protocol.TCP);
      if (p.isPresent()) return Integer.parseInt(p.get());
    }
    return 0;
  }

  static String mappingText(PortMappingCheck.Status m) {
    if (m.mapped()) {
      return "Port mapping: the router (" + m.gateway().getHostAddress() + ") mapped TCP port " + m.internalPort() + " to "
          + m.externalIp() + ":" + m.externalPort() + " by " + m.method() + " for this test (removed again); see its dial-back result above."
          + " " + m.method() + " works on your router, so a node keeps the port mapped by itself.\n";
    }
    return "Port mapping: " + m.error() + (m.gateway() == null ? "" : " (router " + m.gateway().getHostAddress() + ")") + ".\n";
  }

  static ObjectNode mappingJson(PortMappingCheck.Status m) {
    ObjectNode o = Output.object();
    o.put("mapped", m.mapped());
    if (m.gateway() != null) o.put("gateway", m.gateway().getHostAddress());
    if (m.mapped()) o.put("external", "/ip4/" + m.externalIp() + "/tcp/" + m.externalPort()).put("lifetimeSeconds", m.lifetimeSeconds()).put("method", m.method());
    if (m.error() != null) o.put("error", m.error());
    return o;
  }

  private List<Multiaddr> parse(String option, List<String> values) {
    List<Multiaddr> outList = new ArrayList<>();
    for (String v : values) {
      if (v.isBlank()) continue;
      try {
        outList.add(Multiaddr.parse(v.trim()));
      } catch (RuntimeException e) {
        throw new CommandLine.ParameterException(out.commandLine(), "bad " + option + " address " + v + ": " + e.getMessage());
      }
    }
    return outList;
  }

  private PrivKey privateKey() throws IOException {
    if (key != null && seed != null) throw new CommandLine.ParameterException(out.commandLine(), "give --key or --seed, not both");
    if (key != null) {
      try {
        return KeyFiles.load(key);
      } catch (KeyFiles.KeyFileException e) {
        throw e;
      } catch (IOException e) {
        throw dev.weft.cli.common.Errors.file("read", "key", key, e);
      }
    }
    return seed != null ? Ed25519.fromSeedNumber(seed) : Ed25519.generate(new SecureRandom());
  }

  static String human(NatReport r, NatAdvice.Advice advice) {
    StringBuilder s = new StringBuilder();
    s.append("Listening on:\n");
    for (Multiaddr a : r.listen()) s.append("  ").append(a).append('\n');
    s.append("Peers (").append(r.reached()).append(" of ").append(r.peers().size()).append(" reached, ")
        .append(r.autonatServers()).append(" offer AutoNAT):\n");
    for (NatReport.PeerResult p : r.peers()) {
      s.append("  ").append(p.address()).append(": ").append(p.reached() ? "reached, AutoNAT " + p.autonat() : "not reached (" + p.error() + ")").append('\n');
    }
    s.append("What peers see you as:\n");
    if (r.observed().isEmpty()) s.append("  (nothing reported)\n");
    for (ObservedAddress o : r.observed()) {
      s.append("  ").append(o.address()).append("  by ").append(o.observers()).append(" peer(s) in ").append(o.groups()).append(" network(s)\n");
    }
    s.append("Dial-back tests:\n");
    if (r.addresses().isEmpty()) s.append("  (none)\n");
    for (Reachability.AddressStatus a : r.addresses()) {
      s.append("  ").append(a.address()).append("  ").append(word(a.status())).append(" (").append(a.successes()).append(" reached it, ")
          .append(a.failures()).append(" could not)\n");
    }
    for (AutonatProbe.Answer a : r.answers()) {
      s.append("    ").append(shortId(a.server())).append(" [").append(a.version()).append("] ")
          .append(a.address() == null ? "" : a.address() + ": ").append(a.outcome()).append('\n');
    }
    s.append('\n').append(advice.verdict()).append('\n');
    for (String t : advice.todo()) s.append("- ").append(t).append('\n');
    return s.toString();
  }

  private static String word(Reachability.Status s) {
    return switch (s) {
      case PUBLIC -> "reachable";
      case PRIVATE -> "NOT reachable";
      case UNKNOWN -> "undecided";
    };
  }

  private static String shortId(PeerId p) {
    String b = p.toBase58();
    return "..." + b.substring(Math.max(0, b.length() - 8));
  }

  static ObjectNode json(NatReport r, NatAdvice.Advice advice) {
    ObjectNode o = Output.object();
    o.put("peerId", r.self().toBase58());
    o.put("reachability", r.reachability().name());
    o.put("confirmations", r.confirmations());
    ArrayNode listenJ = o.putArray("listen");
    r.listen().forEach(a -> listenJ.add(a.toString()));
    ArrayNode peersJ = o.putArray("peers");
    for (NatReport.PeerResult p : r.peers()) {
      ObjectNode pj = peersJ.addObject();
      pj.put("address", p.address().toString());
      pj.put("reached", p.reached());
      pj.put("autonat", p.autonat());
      if (p.error() != null) pj.put("error", p.error());
    }
    ArrayNode obs = o.putArray("observed");
    for (ObservedAddress a : r.observed()) {
      obs.addObject().put("address", a.address().toString()).put("observers", a.observers()).put("groups", a.groups()).put("confirmed", a.confirmed());
    }
    ArrayNode addrs = o.putArray("addresses");
    for (Reachability.AddressStatus a : r.addresses()) {
      ObjectNode aj = addrs.addObject().put("address", a.address().toString()).put("status", a.status().name())
          .put("successes", a.successes()).put("failures", a.failures()).put("confidence", a.confidence());
      ArrayNode yes = aj.putArray("reachableBy");
      a.reachableBy().forEach(p -> yes.add(p.toBase58()));
      ArrayNode no = aj.putArray("unreachableBy");
      a.unreachableBy().forEach(p -> no.add(p.toBase58()));
    }
    ArrayNode answers = o.putArray("answers");
    for (AutonatProbe.Answer a : r.answers()) {
      ObjectNode aj = answers.addObject().put("server", a.server().toBase58()).put("version", a.version()).put("outcome", a.outcome());
      if (a.address() != null) aj.put("address", a.address().toString());
    }
    o.put("verdict", advice.verdict());
    ArrayNode todo = o.putArray("advice");
    advice.todo().forEach(todo::add);
    return o;
  }
}
