package dev.weft.p2p.nat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.protocol.autonat.Reachability;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a {@link NatReport} means for the volunteer, in plain words. A pure function. */
public final class NatAdvice {
  private NatAdvice() {}

  /** One verdict line and what to do, as sentences. */
  public record Advice(String verdict, List<String> todo) {}

  /** How the router in front of us maps our outbound connections, as the observers saw it. */
  public enum Mapping {
    /** Too few observations of one local port to tell. */
    UNKNOWN,
    /** One local port appeared at one public address to every observer ("cone" NAT): hole punching can work. */
    ENDPOINT_INDEPENDENT,
    /** One local port appeared at different public ports to different observers ("symmetric" NAT): it cannot. */
    ENDPOINT_DEPENDENT
  }

  /**
   * The router's mapping behaviour from what observers reported: the same local port seen at one
   * IP with two public ports means the port depends on the destination; seen by at least two
   * observers at one public port, that it does not. Needs the dials to leave from one local port
   * (the TCP transport's port reuse), else every connection has a port of its own and says nothing.
   */
  public static Mapping mapping(List<ObservedAddress> observed) {
    java.util.Map<String, Set<Multiaddr>> byLocal = new java.util.HashMap<>();
    java.util.Map<String, Integer> observers = new java.util.HashMap<>();
    for (ObservedAddress o : observed) {
      String ip = o.address().components().get(0).valueText();
      for (int port : o.localPorts()) {
        String key = ip + ":" + port;
        byLocal.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(o.address());
        observers.merge(key, o.observers(), Integer::sum);
      }
    }
    boolean independent = false;
    for (var e : byLocal.entrySet()) {
      if (e.getValue().size() > 1) return Mapping.ENDPOINT_DEPENDENT;
      if (observers.get(e.getKey()) >= 2) independent = true;
    }
    return independent ? Mapping.ENDPOINT_INDEPENDENT : Mapping.UNKNOWN;
  }

  public static Advice of(NatReport r) {
    List<String> todo = new ArrayList<>();
    if (r.reached() == 0) {
      todo.add("Check that this machine is online and that the --peer addresses are right (they must end in /p2p/<peer id>).");
      return new Advice("Could not reach any peer, so nothing could be measured.", todo);
    }
    if (r.autonatServers() == 0) {
      todo.add("Ask for peers that run an AutoNAT server (any weft node does by default) and pass them with --peer.");
      return new Advice("The peers reached do not offer AutoNAT, so nobody could try to dial you back.", todo);
    }
    List<Multiaddr> publicAddrs = r.addresses().stream().filter(a -> a.status() == Reachability.Status.PUBLIC)
        .map(Reachability.AddressStatus::address).toList();
    switch (r.reachability()) {
      case PUBLIC -> {
        String verdict = "Your node is reachable at " + join(publicAddrs) + ": other volunteers can connect to you directly.";
        return new Advice(verdict, List.of());
      }
      case PRIVATE -> {
        Set<String> ports = new LinkedHashSet<>();
        // Not a port the router picked for one connection (a symmetric NAT's): no forwarding rule uses those.
        Set<String> picked = new LinkedHashSet<>();
        for (ObservedAddress o : r.observed()) {
          int p = ObservedAddressBook.port(o.address());
          if (!o.localPorts().contains(p)) picked.add(Integer.toString(p));
        }
        for (Reachability.AddressStatus a : r.addresses()) a.address().valueOf(Protocol.TCP).filter(p -> !picked.contains(p)).ifPresent(ports::add);
        if (ports.isEmpty()) for (Multiaddr l : r.listen()) l.valueOf(Protocol.TCP).filter(p -> !p.equals("0")).ifPresent(ports::add);
        String portList = ports.isEmpty() ? "your listen port" : "TCP port " + String.join(", ", ports);
        switch (mapping(r.observed())) {
          case ENDPOINT_DEPENDENT -> todo.add("Your router maps ports per destination (symmetric NAT): other volunteers reach you through a relay;"
              + " direct connections to you will fail, hole punching included.");
          case ENDPOINT_INDEPENDENT -> todo.add("Your router keeps one public port per local port (cone NAT): other volunteers first reach you"
              + " through a relay, then hole punching upgrades most of those connections to direct ones.");
          case UNKNOWN -> todo.add("weft will reach other volunteers through a relay (circuit relay v2) and try to upgrade to a direct connection by hole punching.");
        }
        todo.add("To be reachable directly, forward " + portList + " on your router to this machine"
            + localHint(r) + ", or enable UPnP / NAT-PMP on the router; then run 'weft doctor' again.");
        if (randomPort(r)) {
          todo.add("Use a fixed port (--listen /ip4/0.0.0.0/tcp/4001) so that a forwarding rule keeps working after a restart.");
        }
        return new Advice("Behind a NAT or firewall: " + r.addresses().stream().filter(a -> a.status() == Reachability.Status.PRIVATE)
            .map(a -> a.address() + " could not be dialled by " + a.failures() + " peers").reduce((x, y) -> x + "; " + y).orElse("")
            + ".", todo);
      }
      default -> {
        todo.add("A verdict needs " + r.confirmations() + " peers that agree; " + r.autonatServers()
            + " AutoNAT server(s) answered. Run again with more --peer addresses.");
        if (r.tested().isEmpty()) todo.add("No address to test was found: the peers did not report what address they see you at.");
        return new Advice("Not enough answers to tell whether other volunteers can reach you.", todo);
      }
    }
  }

  /** A port in Linux's ephemeral range was most likely picked at random (listen on tcp/0). */
  private static boolean randomPort(NatReport r) {
    return r.listen().stream().anyMatch(a -> a.valueOf(Protocol.TCP).map(p -> Integer.parseInt(p) >= 32768).orElse(false));
  }

  private static String localHint(NatReport r) {
    for (Multiaddr a : r.listen()) {
      if (a.isPrivate()) return " (" + a.components().get(0).valueText() + ":" + a.valueOf(Protocol.TCP).orElse("?") + ")";
    }
    return "";
  }

  private static String join(List<Multiaddr> a) {
    return String.join(", ", a.stream().map(Multiaddr::toString).toList());
  }
}
