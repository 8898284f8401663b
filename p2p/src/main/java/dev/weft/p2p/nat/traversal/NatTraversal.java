package dev.weft.p2p.nat.traversal;

import dev.weft.p2p.addr.InterfaceAddresses;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.nat.ObservedAddressCollector;
import dev.weft.p2p.nat.ObservedAddressConfig;
import dev.weft.p2p.nat.dcutr.DcutrConfig;
import dev.weft.p2p.nat.dcutr.DcutrService;
import dev.weft.p2p.nat.mapping.DefaultGateway;
import dev.weft.p2p.nat.mapping.PortMappingCheck;
import dev.weft.p2p.nat.relay.HopServer;
import dev.weft.p2p.nat.relay.RelayClient;
import dev.weft.p2p.nat.relay.RelayClientConfig;
import dev.weft.p2p.nat.relay.RelayConfig;
import dev.weft.p2p.protocol.autonat.AutonatClient;
import dev.weft.p2p.protocol.autonat.AutonatClientConfig;
import dev.weft.p2p.protocol.autonat.AutonatProbe;
import dev.weft.p2p.protocol.autonat.AutonatServer;
import dev.weft.p2p.protocol.autonat.AutonatServerConfig;
import dev.weft.p2p.protocol.autonat.Reachability;
import dev.weft.p2p.protocol.autonat.ReachabilityConfig;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT traversal for a long-running node, on by default: AutoNAT client and server, observed
 * addresses, a circuit relay v2 client that reserves while we are private (relays configured or
 * found among connected peers), a relay service for others, DCUtR hole punching of inbound
 * relayed connections, and a port mapping (NAT-PMP, else UPnP IGD) that is renewed, removed on close, and
 * advertised only once AutoNAT confirms it. What to do is decided by {@link NatPolicy}; this
 * class only feeds it the host's events and carries out its actions.
 *
 * <p>Two steps, because services go on the builder and AutoNAT needs the started host:
 * {@link #prepare} before {@code build}, {@link Prepared#start} after {@code start}. Threads: the
 * policy lives on the host's scheduler; port mapping (blocking UDP to the gateway) runs on the
 * executor given to {@code start}.
 */
public final class NatTraversal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatTraversal.class);
  /** A mapping's lease: renewed at half of it, so a crashed node leaves no hole for long. */
  static final long MAPPING_LIFETIME_SECONDS = 3_600;
  /** Wait before asking a gateway again that refused or did not answer. */
  static final long MAPPING_RETRY_MILLIS = 10 * 60_000;
  /** How long the machine's interface list is reused: reading it is a round of syscalls, and ticks come every second. */
  static final long INTERFACES_TTL_MILLIS = 60_000;

  /** Where NAT traversal stands: what {@code weft node} prints and the dashboard shows. */
  public record Report(NatPolicy.Status policy, List<Multiaddr> confirmed, List<Multiaddr> circuitAddresses, int holePunchesDirect,
      int holePunchesFailed, String portMapping, NatConfig config) {
    /** One line in plain words. */
    public String line() {
      StringBuilder b = new StringBuilder("reachability ").append(policy.reachability().name().toLowerCase()).append(" (").append(policy.why()).append(")");
      if (!circuitAddresses.isEmpty()) b.append("; reachable through ").append(circuitAddresses.size()).append(" relay address(es)");
      else if (policy.reachability() == Reachability.Status.PRIVATE && config.relayClient()) b.append("; no relay reservation yet (").append(policy.hopPeers()).append(" relay(s) known)");
      if (!confirmed.isEmpty()) b.append("; confirmed public ").append(confirmed);
      if (holePunchesDirect + holePunchesFailed > 0) b.append("; hole punches ").append(holePunchesDirect).append(" direct, ").append(holePunchesFailed).append(" failed");
      if (portMapping != null) b.append("; port mapping: ").append(portMapping);
      return b.toString();
    }
  }

  /** The builder half: services installed, waiting for the started host. */
  public static final class Prepared {
    private final NatConfig config;
    private volatile NatTraversal started;

    private Prepared(NatConfig config) {
      this.config = config;
    }

    /** Starts the policy on {@code built}'s started host; {@code blocking} runs port mapping. */
    public NatTraversal start(HostBuilder.Built built, Random random, Executor blocking) {
      NatTraversal n = new NatTraversal(config, built, random, blocking);
      started = n;
      n.begin();
      return n;
    }

    /** Addresses DCUtR offers besides our own: confirmed public and mapped ones. */
    private List<Multiaddr> extra() {
      NatTraversal n = started;
      return n == null ? List.of() : n.confirmedAndMapped();
    }
  }

  /** Installs the relay client (always: dialling through relays needs it), DCUtR and the relay service as {@code config} says. */
  public static Prepared prepare(HostBuilder builder, NatConfig config) {
    Prepared p = new Prepared(config);
    builder.service(RelayClient.factory(config.relayClient() ? RelayClientConfig.of(config.relays()) : RelayClientConfig.dialOnly()));
    if (config.holePunch()) builder.service(DcutrService.factory(DcutrConfig.DEFAULT, p::extra));
    if (config.relayService()) builder.service(HopServer.factory(RelayConfig.DEFAULT));
    return p;
  }

  private final NatConfig config;
  private final BasicHost host;
  private final Scheduler scheduler;
  private final Executor blocking;
  private final RelayClient relay;
  private final DcutrService dcutr;
  private final AutonatServer server;
  private final AutonatClient client;
  private final AutonatProbe probe;
  private final ObservedAddressCollector collector;
  private final NatPolicy policy;
  private final AutoCloseable subscription;
  private volatile List<Multiaddr> confirmed = List.of();
  /** Observed but not (yet) confirmed addresses DCUtR may offer after the confirmed ones; see {@link #punchCandidates}. */
  private volatile List<Multiaddr> observedForPunch = List.of();
  /** Unconfirmed observed addresses offered to a hole punch at most. */
  static final int MAX_UNCONFIRMED_PUNCH_ADDRESSES = 4;
  private volatile Multiaddr mapped;
  private volatile PortMappingCheck.Status mapping;
  private volatile String mappingLine;
  private volatile NatPolicy.Status lastStatus;
  private volatile Cancellable timer;
  private volatile boolean closed;
  /** Confined to the scheduler: the listen addresses expanded over the interfaces, and when. */
  private List<Multiaddr> listenCandidates;
  private long listenCandidatesAt;
  private final java.util.List<java.util.function.Consumer<Reachability.Status>> reachabilityListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private NatTraversal(NatConfig config, HostBuilder.Built built, Random random, Executor blocking) {
    this.config = config;
    this.host = built.host();
    this.scheduler = host.scheduler();
    this.blocking = blocking;
    this.relay = built.service(RelayClient.class).orElseThrow(() -> new IllegalStateException("prepare(...) was not called on this host's builder"));
    this.dcutr = built.service(DcutrService.class).orElse(null);
    this.server = config.autonatServer() ? AutonatServer.install(host, AutonatServerConfig.DEFAULT.withAllowPrivateAddresses(config.lan())) : null;
    this.client = config.autonat() ? AutonatClient.install(host, AutonatClientConfig.DEFAULT, random) : null;
    Reachability reachability = new Reachability(new ReachabilityConfig(config.confirmations(), 60 * 60_000L, 64, Math.max(8, config.maxServers())));
    this.probe = client == null ? null : new AutonatProbe(client, reachability, scheduler, host.peerStore());
    this.collector = ObservedAddressCollector.attach(built.identify(), scheduler, ObservedAddressConfig.DEFAULT, host::listenAddresses);
    this.policy = new NatPolicy(config, scheduler.nowMillis());
    this.lastStatus = policy.status();
    this.subscription = host.context().subscribe(e -> scheduler.execute(() -> onEvent(e)));
    host.context().advertise(this::advertised);
    this.mappingLine = config.portMapping() ? "asking the gateway" : null;
  }

  private void begin() {
    scheduler.execute(this::tick);
    if (config.portMapping()) blocking.execute(this::map);
  }

  private void onEvent(HostEvent e) {
    if (closed) return;
    switch (e) {
      case HostEvent.PeerIdentified id -> policy.identified(id.peer(), host.peerStore().protocols(id.peer()), directAddress(id.peer()));
      case HostEvent.PeerDisconnected d -> {
        if (directAddress(d.connection().remotePeer()) == null) policy.gone(d.connection().remotePeer());
      }
      default -> { }
    }
  }

  /**
   * Where we reach {@code peer} directly, or null if only through a relay: the address we dialled;
   * for a connection it opened to us, a listen address it announced on that host (the remote
   * address of an inbound connection is its ephemeral port, which nobody can dial again).
   */
  private Multiaddr directAddress(PeerId peer) {
    for (Connection c : host.connections(peer)) {
      if (c.isLimited()) continue;
      Multiaddr remote = c.remoteAddress().withoutPeerId();
      if (c.isInitiator()) return remote;
      Multiaddr.Component ip = remote.components().get(0);
      for (Multiaddr a : host.peerStore().addresses(peer)) {
        Multiaddr.Component first = a.components().get(0);
        boolean sameIp = first.protocol() == ip.protocol() && java.util.Arrays.equals(first.value(), ip.value());
        if (sameIp && !a.has(Protocol.P2P_CIRCUIT) && a.valueOf(Protocol.TCP).isPresent()) return a.withoutPeerId();
      }
      return remote;
    }
    return null;
  }

  private void tick() {
    if (closed) return;
    collector.addresses().thenAccept(all -> observedForPunch = punchCandidates(all, listenPort(), this::testable));
    collector.candidates().whenComplete((observed, e) -> scheduler.execute(() -> {
      try {
        if (closed) return;
        policy.candidates(candidates(observed == null ? List.of() : observed));
        for (NatPolicy.Action a : policy.tick(scheduler.nowMillis())) act(a);
        lastStatus = policy.status();
      } catch (RuntimeException x) {
        LOG.warn("NAT policy step failed: {}", x.toString(), x);
      } finally {
        if (!closed) timer = scheduler.schedule(config.tickMillis(), this::tick);
      }
    }));
  }

  /** Listen addresses worth testing (public ones; private too on a LAN), confirmed observed ones, the mapped one. */
  private List<Multiaddr> candidates(List<Multiaddr> observed) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    Multiaddr m = mapped;
    if (m != null) out.add(m);
    for (Multiaddr a : observed) if (testable(a)) out.add(a.withoutPeerId());
    long now = scheduler.nowMillis();
    if (listenCandidates == null || now - listenCandidatesAt >= INTERFACES_TTL_MILLIS) {
      List<Multiaddr> l = new ArrayList<>();
      for (Multiaddr a : InterfaceAddresses.system().expand(host.listenAddresses())) if (testable(a)) l.add(a.withoutPeerId());
      listenCandidates = List.copyOf(l);
      listenCandidatesAt = now;
    }
    out.addAll(listenCandidates);
    return List.copyOf(out);
  }

  private boolean testable(Multiaddr a) {
    return config.lan() ? dialableTcp(a) : publicTcp(a);
  }

  /** A TCP address with a port, not a relay circuit, not 0.0.0.0. */
  static boolean dialableTcp(Multiaddr a) {
    return !a.isUnspecified() && !a.has(Protocol.P2P_CIRCUIT) && !a.valueOf(Protocol.TCP).orElse("0").equals("0");
  }

  /** {@link #dialableTcp} on a public address. */
  static boolean publicTcp(Multiaddr a) {
    return dialableTcp(a) && !(a.isPrivate() || a.isLoopback());
  }

  private void act(NatPolicy.Action a) {
    switch (a) {
      case NatPolicy.Action.Probe p -> {
        long asked = scheduler.nowMillis();
        probe.probe(p.servers(), p.addresses()).thenCompose(statuses -> {
          List<Multiaddr> ok = new ArrayList<>();
          for (Reachability.AddressStatus s : statuses) if (s.status() == Reachability.Status.PUBLIC) ok.add(s.address());
          confirmed = List.copyOf(ok);
          return probe.node();
        }).whenComplete((node, e) -> scheduler.execute(() -> {
          if (e != null) {
            LOG.debug("AutoNAT probe started at {} failed: {}", asked, e.toString());
            policy.probeFailed(scheduler.nowMillis());
          } else {
            policy.probeDone(node, scheduler.nowMillis());
          }
        }));
      }
      case NatPolicy.Action.Reserve r -> {
        LOG.info("{}: private, so reserving a relay slot on {}", host.peerId(), r.relay());
        relay.keep(r.relay());
      }
      case NatPolicy.Action.Drop d -> {
        LOG.info("{}: no longer keeping a relay slot on {}", host.peerId(), d.relay());
        relay.drop(d.relay());
      }
      case NatPolicy.Action.Changed c -> {
        LOG.info("{}: reachability {} -> {}: {}", host.peerId(), c.from(), c.to(), c.why());
        for (java.util.function.Consumer<Reachability.Status> l : reachabilityListeners) {
          try {
            l.accept(c.to());
          } catch (RuntimeException e) {
            LOG.warn("reachability listener failed: {}", e.toString());
          }
        }
      }
    }
  }

  /** Confirmed public addresses the host does not already list, for identify and peer records. */
  private List<Multiaddr> advertised() {
    List<Multiaddr> out = new ArrayList<>();
    List<Multiaddr> listen = host.listenAddresses();
    for (Multiaddr a : confirmed) if (!listen.contains(a)) out.add(a);
    return out;
  }

  private List<Multiaddr> confirmedAndMapped() {
    List<Multiaddr> out = new ArrayList<>(confirmed);
    Multiaddr m = mapped;
    if (m != null && !out.contains(m)) out.add(m);
    for (Multiaddr a : observedForPunch) if (!out.contains(a)) out.add(a);
    return out;
  }

  /**
   * What a hole punch may offer besides confirmed addresses: what peers saw us at on connections we
   * dialled from our listen port (with port reuse, a port-preserving NAT's mapping of that port),
   * that AutoNAT could test ({@code testable}: public TCP, no circuit), most observers first. Advertising needs {@link ObservedAddressConfig#minObserverGroups} observer
   * groups and an AutoNAT confirmation, because a forged address there would send the whole network
   * to a wrong place; a DCUtR offer goes to one peer that asked to punch with us, and a wrong
   * address in it costs that peer one failed dial per attempt (the spec's three at most). A home
   * volunteer with one public bootstrap in sight never reaches three observer groups — and without
   * this a punch between two such volunteers has only LAN addresses to offer, and always fails.
   */
  static List<Multiaddr> punchCandidates(List<dev.weft.p2p.nat.ObservedAddress> observed, int listenPort, java.util.function.Predicate<Multiaddr> testable) {
    if (listenPort <= 0) return List.of();
    List<dev.weft.p2p.nat.ObservedAddress> keep = new ArrayList<>();
    for (dev.weft.p2p.nat.ObservedAddress o : observed) if (o.localPorts().contains(listenPort) && testable.test(o.address())) keep.add(o);
    keep.sort(java.util.Comparator.comparingInt(dev.weft.p2p.nat.ObservedAddress::observers).reversed());
    List<Multiaddr> out = new ArrayList<>();
    for (dev.weft.p2p.nat.ObservedAddress o : keep) {
      Multiaddr a = o.address().withoutPeerId();
      if (!out.contains(a)) out.add(a);
      if (out.size() == MAX_UNCONFIRMED_PUNCH_ADDRESSES) break;
    }
    return List.copyOf(out);
  }

  // ---- port mapping (on the blocking executor) ----

  private void map() {
    if (closed) return;
    int port = listenPort();
    if (port <= 0) {
      mappingLine = "no TCP listen port to map";
      return;
    }
    Optional<Inet4Address> gw = DefaultGateway.system();
    PortMappingCheck.Status s = PortMappingCheck.map(gw, port, MAPPING_LIFETIME_SECONDS, 3);
    long next;
    if (s.mapped()) {
      mapping = s;
      mapped = Multiaddr.parse("/ip4/" + s.externalIp() + "/tcp/" + s.externalPort());
      mappingLine = s.method() + " mapped " + mapped + " -> port " + port + (s.lifetimeSeconds() == 0 ? " until removed" : " for " + s.lifetimeSeconds() + " s")
          + " (advertised once AutoNAT confirms it)";
      // Renewed at half its lease; a permanent one (a router that only keeps those) is re-checked every half hour.
      next = s.lifetimeSeconds() == 0 ? 30 * 60_000L : Math.max(60_000, s.lifetimeSeconds() * 500);
    } else {
      // A renewal refused (a router reboot, UPnP turned off): the old address is no longer ours to
      // test or advertise.
      mapping = null;
      mapped = null;
      mappingLine = s.error();
      next = MAPPING_RETRY_MILLIS;
    }
    LOG.info("{}: port mapping: {}", host.peerId(), mappingLine);
    if (!closed) scheduler.schedule(next, () -> blocking.execute(this::map));
  }

  private int listenPort() {
    for (Multiaddr a : host.listenAddresses()) {
      Optional<String> p = a.valueOf(Protocol.TCP);
      if (p.isPresent() && !p.get().equals("0")) return Integer.parseInt(p.get());
    }
    return 0;
  }

  // ---- reading ----

  public Report report() {
    int direct = 0, failed = 0;
    if (dcutr != null) {
      for (DcutrService.Outcome o : dcutr.outcomes()) {
        if (o.direct()) direct++;
        else failed++;
      }
    }
    return new Report(lastStatus, confirmed, relay.circuitAddresses(), direct, failed, mappingLine, config);
  }

  /**
   * Told each new reachability verdict (on the host scheduler): how the DHT switches between
   * server and client mode.
   */
  public void onReachability(java.util.function.Consumer<Reachability.Status> listener) {
    reachabilityListeners.add(listener);
  }

  public RelayClient relayClient() {
    return relay;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    Cancellable t = timer;
    if (t != null) t.cancel();
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing the event subscription: {}", e.toString());
    }
    if (client != null) client.close();
    if (server != null) server.close();
    PortMappingCheck.Status m = mapping;
    if (m != null) PortMappingCheck.remove(m, 1);
  }
}
