package dev.weft.p2p.host;

import dev.weft.p2p.api.ConnectionGater;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.api.ResourceScope;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.identify.IdentifyService;
import dev.weft.p2p.protocol.perf.PerfService;
import dev.weft.p2p.protocol.ping.PingService;
import dev.weft.p2p.resource.ResourceLimits;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.time.SystemScheduler;
import dev.weft.p2p.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Builds a {@link BasicHost}. Fails fast in {@link #build()} when the identity or a transport is
 * missing, or when a listen address has no transport. Identify and ping are installed unless
 * disabled; perf serves only when asked (it lets peers make us send data). Every service, these
 * included, goes through {@link BasicHost#install}: {@link #service} adds more, installed after
 * them in the order given.
 */
public final class HostBuilder {
  PrivKey privateKey;
  final List<Transport> transports = new ArrayList<>();
  private final List<Function<PrivKey, Transport>> transportFactories = new ArrayList<>();
  final List<Multiaddr> listen = new ArrayList<>();
  Scheduler scheduler;
  AutoCloseable ownedScheduler;
  PeerStore peerStore;
  ConnectionManagerConfig connectionManager = ConnectionManagerConfig.DEFAULT;
  ResourceLimits resourceLimits = ResourceLimits.DEFAULT;
  ConnectionGater gater = ConnectionGater.ALLOW_ALL;
  private boolean identify = true;
  private boolean ping = true;
  private boolean perf;
  private String agentVersion = IdentifyProtocol.AGENT_VERSION;
  private final List<ServiceFactory<?>> services = new ArrayList<>();
  Random random;
  LongSupplier nanos;
  LongSupplier wallClock;
  ResourceScope resources;

  HostBuilder() {}

  public HostBuilder privateKey(PrivKey key) {
    this.privateKey = key;
    return this;
  }

  public HostBuilder transport(Transport t) {
    transports.add(t);
    return this;
  }

  /** A transport made once the identity is known (TCP needs the key for Noise). */
  public HostBuilder transport(Function<PrivKey, Transport> factory) {
    transportFactories.add(factory);
    return this;
  }

  public HostBuilder listen(Multiaddr... addresses) {
    listen.addAll(List.of(addresses));
    return this;
  }

  public HostBuilder listen(String... addresses) {
    for (String a : addresses) listen.add(Multiaddr.parse(a));
    return this;
  }

  /**
   * The host's serial executor and clock; it also supplies the randomness and the fine clock of
   * the services (seeded and virtual on a simulation's scheduler). Default: a
   * {@link SystemScheduler} the host owns.
   */
  public HostBuilder scheduler(Scheduler s) {
    this.scheduler = s;
    return this;
  }

  public HostBuilder peerStore(PeerStore ps) {
    this.peerStore = ps;
    return this;
  }

  public HostBuilder connectionManager(ConnectionManagerConfig config) {
    this.connectionManager = config;
    return this;
  }

  /** What peers may make the host hold (see {@link ResourceLimits}); default {@link ResourceLimits#DEFAULT}. */
  public HostBuilder resourceLimits(ResourceLimits limits) {
    if (limits == null) throw new IllegalArgumentException("resource limits required");
    this.resourceLimits = limits;
    return this;
  }

  /**
   * Which peers the host may connect to (see {@link ConnectionGater}); default
   * {@link ConnectionGater#ALLOW_ALL}. After changing its rules, call {@link BasicHost#regate()}.
   */
  public HostBuilder gater(ConnectionGater g) {
    if (g == null) throw new IllegalArgumentException("gater required (ConnectionGater.ALLOW_ALL allows everything)");
    this.gater = g;
    return this;
  }

  public HostBuilder identify(boolean on) {
    this.identify = on;
    return this;
  }

  public HostBuilder ping(boolean on) {
    this.ping = on;
    return this;
  }

  /** Serves {@code /perf/1.0.0}: only for benchmarks and trusted networks. */
  public HostBuilder perf(boolean on) {
    this.perf = on;
    return this;
  }

  public HostBuilder agentVersion(String v) {
    this.agentVersion = v;
    return this;
  }

  /** Randomness for protocol payloads (default: the scheduler's, see {@link Scheduler#random()}). */
  public HostBuilder random(Random r) {
    this.random = r;
    return this;
  }

  /** The fine clock for round trips and throughput (default: {@link Scheduler#nowNanos()}). */
  public HostBuilder nanoClock(LongSupplier n) {
    this.nanos = n;
    return this;
  }

  /** Calendar time for values that outlive the process (default: the system clock; give a fixed one in simulations). */
  public HostBuilder wallClock(LongSupplier millis) {
    this.wallClock = millis;
    return this;
  }

  /** Where services account for what peers make them hold (default: {@link ResourceScope#UNLIMITED}). */
  public HostBuilder resources(ResourceScope scope) {
    this.resources = scope;
    return this;
  }

  /** A further service, installed by {@link #build()} after identify, ping and perf. */
  public HostBuilder service(ServiceFactory<?> factory) {
    services.add(factory);
    return this;
  }

  /** Services installed by {@link #build()}, null when disabled. */
  public record Built(BasicHost host, IdentifyService identify, PingService ping, PerfService perf) {
    /** An installed service by type (those given to {@link HostBuilder#service} too). */
    public <S> Optional<S> service(Class<S> type) {
      return host.service(type);
    }
  }

  /** Builds the host (not yet listening: call {@link BasicHost#start()}). */
  public BasicHost build() {
    return buildWithServices().host();
  }

  /** Builds the host and returns the protocol services it installed. */
  public Built buildWithServices() {
    if (privateKey == null) throw new IllegalStateException("a host needs an identity: call privateKey(...)");
    for (Function<PrivKey, Transport> f : transportFactories) transports.add(f.apply(privateKey));
    transportFactories.clear();
    if (transports.isEmpty()) throw new IllegalStateException("a host needs at least one transport: call transport(...)");
    for (Multiaddr a : listen) {
      if (transports.stream().noneMatch(t -> t.handles(a))) throw new IllegalStateException("no transport can listen on " + a);
    }
    if (scheduler == null) {
      SystemScheduler s = new SystemScheduler("weft-host-" + shortName(PeerId.fromPublicKey(privateKey.publicKey())));
      scheduler = s;
      ownedScheduler = s;
    }
    BasicHost host = new BasicHost(this);
    IdentifyService id = identify ? host.install(IdentifyService.factory(agentVersion)) : null;
    PingService p = ping ? host.install(PingService.factory()) : null;
    PerfService pf = host.install(perf ? PerfService.factory() : PerfService.clientOnlyFactory());
    for (ServiceFactory<?> f : services) host.install(f);
    return new Built(host, id, p, pf);
  }

  private static String shortName(PeerId id) {
    String s = id.toBase58();
    return s.substring(Math.max(0, s.length() - 6));
  }
}
