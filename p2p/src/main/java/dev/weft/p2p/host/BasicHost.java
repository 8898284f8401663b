package dev.weft.p2p.host;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ConnectionDialer;
import dev.weft.p2p.api.ConnectionGater;
import dev.weft.p2p.api.GatedException;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.ResourceScope;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.resource.ConnectionScope;
import dev.weft.p2p.resource.LimitExceededException;
import dev.weft.p2p.resource.ResourceAware;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.resource.StreamScope;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host} over one or more {@link Transport}s. Keeps one connection per peer (dials to a
 * connected peer reuse it; concurrent dials to one peer share one attempt), routes inbound streams
 * to the registered {@link ProtocolHandler}s (it is the transports' {@link StreamRouter}), admits
 * and trims connections through its {@link ConnectionManager}, and publishes {@link HostEvent}s in
 * order on its {@link Scheduler}. Its {@link ConnectionGater} (default: allow all) is asked before
 * every dial and for every authenticated connection; {@link #regate} applies changed rules to the
 * connections already open.
 *
 * <p>Build with {@link #builder()}; it installs identify and ping unless told not to. Services
 * are installed through {@link #install} with the host's {@link ServiceContext}. Thread-safe:
 * every public method may be called from any thread; event listeners run on the host scheduler
 * and must not block.
 */
public final class BasicHost implements Host, StreamRouter {
  private static final Logger LOG = LoggerFactory.getLogger(BasicHost.class);

  private final PrivKey privateKey;
  private final PeerId peerId;
  private final List<Transport> transports;
  private final List<Multiaddr> requestedListen;
  private final Scheduler scheduler;
  private final AutoCloseable ownedScheduler;
  private final PeerStore peerStore;
  private final ConnectionManager connectionManager;
  private final ResourceManager resourceManager;
  private final ConnectionGater gater;
  private final LongAdder gatedDials = new LongAdder(), gatedInbound = new LongAdder(), gatedOutbound = new LongAdder(),
      regated = new LongAdder();
  private final Map<String, ProtocolHandler> handlers = new ConcurrentSkipListMap<>();
  private final Map<PeerId, List<Connection>> connections = new ConcurrentHashMap<>();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
  private final List<Consumer<HostEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> protocolListeners = new CopyOnWriteArrayList<>();
  /** What closes with the host, in the order it was added; closed newest first. */
  private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();
  private final List<Object> services = new CopyOnWriteArrayList<>();
  private final Random random;
  private final LongSupplier nanos;
  private final LongSupplier wallClock;
  private final ResourceScope resources;
  private final ServiceContext context = new Context();
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private final List<Supplier<List<Multiaddr>>> advertisedSources = new CopyOnWriteArrayList<>();
  private final List<ConnectionDialer> dialers = new CopyOnWriteArrayList<>();
  private final ConnectionSink sink;
  private volatile boolean closed;

  BasicHost(HostBuilder b) {
    this.privateKey = b.privateKey;
    this.peerId = PeerId.fromPublicKey(b.privateKey.publicKey());
    this.transports = List.copyOf(b.transports);
    this.requestedListen = List.copyOf(b.listen);
    this.scheduler = b.scheduler;
    this.ownedScheduler = b.ownedScheduler;
    this.peerStore = b.peerStore != null ? b.peerStore : new InMemoryPeerStore(scheduler);
    this.connectionManager = new ConnectionManager(b.connectionManager, scheduler);
    this.random = b.random != null ? b.random : scheduler.random();
    this.nanos = b.nanos != null ? b.nanos : scheduler::nowNanos;
    this.wallClock = b.wallClock != null ? b.wallClock : dev.weft.p2p.time.WallClock.SYSTEM;
    this.resourceManager = new ResourceManager(b.resourceLimits, scheduler::nowMillis);
    this.gater = b.gater;
    for (Transport t : transports) if (t instanceof ResourceAware ra) ra.useResourceManager(resourceManager);
    // Services account against the same manager as the transports and muxer, unless told otherwise.
    this.resources = b.resources != null ? b.resources : resourceManager.serviceScope();
    BasicHost self = this;
    this.sink = new ConnectionSink() {
      @Override public StreamRouter router() {
        return self;
      }

      @Override public void accepted(Connection connection) {
        IOException refused = admit(connection);
        if (refused != null) LOG.info("refusing inbound connection from {}: {}", connection.remotePeer(), refused.getMessage());
      }
    };
  }

  public static HostBuilder builder() {
    return new HostBuilder();
  }

  /** Listens on the builder's addresses and starts the connection manager. */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Multiaddr>> binds = new ArrayList<>();
    for (Multiaddr a : requestedListen) {
      Transport t = transportFor(a);
      if (t == null) return CompletableFuture.failedFuture(new IllegalArgumentException("no transport for listen address " + a));
      binds.add(t.listen(a, sink).thenApply(bound -> {
        listenAddresses.add(bound);
        return bound;
      }));
    }
    connectionManager.start();
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new));
  }

  @Override public PeerId peerId() {
    return peerId;
  }

  @Override public PrivKey privateKey() {
    return privateKey;
  }

  @Override public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  @Override public List<Multiaddr> advertisedAddresses() {
    if (advertisedSources.isEmpty()) return listenAddresses();
    List<Multiaddr> all = new ArrayList<>(listenAddresses);
    for (Supplier<List<Multiaddr>> s : advertisedSources) {
      for (Multiaddr a : s.get()) if (!all.contains(a)) all.add(a);
    }
    return List.copyOf(all);
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public ConnectionManager connectionManager() {
    return connectionManager;
  }

  /** What peers hold of this host (connections, handshakes, streams, buffers) and its limits. */
  public ResourceManager resourceManager() {
    return resourceManager;
  }

  public ConnectionGater gater() {
    return gater;
  }

  /**
   * What the {@link ConnectionGater} refused so far: dials never made, connections closed as they
   * authenticated (inbound, outbound), and open connections closed by {@link #regate}.
   */
  public record GatedCounts(long dials, long inbound, long outbound, long regated) {}

  public GatedCounts gatedCounts() {
    return new GatedCounts(gatedDials.sum(), gatedInbound.sum(), gatedOutbound.sum(), regated.sum());
  }

  /**
   * Asks the gater again about every open connection and closes those it now refuses; returns
   * how many. Call it after changing the gater's rules: the host cannot see them change. A
   * connection being admitted meanwhile is checked under the same lock, so none slips between.
   */
  public int regate() {
    List<Connection> refused = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    synchronized (connections) {
      for (List<Connection> l : connections.values()) {
        for (Connection c : l) {
          String why = gater.refuseConnection(c);
          if (why != null) {
            refused.add(c);
            reasons.add(why);
          }
        }
      }
    }
    for (int i = 0; i < refused.size(); i++) {
      Connection c = refused.get(i);
      LOG.info("closing connection {} to {}: refused by the connection gater: {}", c.id(), c.remotePeer(), reasons.get(i));
      regated.increment();
      c.close();
    }
    return refused.size();
  }

  /** The gater's refusal of a dial to {@code address} (naming {@code peer}, or null), or null. */
  private GatedException gateDial(PeerId peer, Multiaddr address) {
    String why = gater.refuseDial(peer, address);
    if (why == null) return null;
    gatedDials.increment();
    LOG.debug("not dialling {}: refused by the connection gater: {}", address, why);
    return new GatedException("dial to " + address, why);
  }

  // ---- protocol handlers (and the StreamRouter the transports ask) ----

  @Override public void setStreamHandler(String protocolId, ProtocolHandler handler) {
    ProtocolHandler old = handlers.put(protocolId, handler);
    if (old == null) protocolsChanged();
  }

  @Override public void removeStreamHandler(String protocolId) {
    if (handlers.remove(protocolId) != null) protocolsChanged();
  }

  @Override public List<String> protocols() {
    return List.copyOf(handlers.keySet());
  }

  /** Runs {@code listener} (on the host scheduler) whenever the set of protocols changes. */
  public void onProtocolsChanged(Runnable listener) {
    protocolListeners.add(listener);
  }

  private void protocolsChanged() {
    for (Runnable r : protocolListeners) scheduler.execute(r);
  }

  @Override public ProtocolHandler handler(String protocolId) {
    ProtocolHandler h = handlers.get(protocolId);
    if (h == null) return null;
    return stream -> {
      if (tooManyInboundStreams(stream)) return;
      StreamScope scope;
      try {
        scope = resourceManager.openInboundStream(stream.connection().id(), stream.remotePeer(), protocolId);
      } catch (LimitExceededException e) {
        LOG.debug("resetting inbound {} stream from {}: {}", protocolId, stream.remotePeer(), e.getMessage());
        stream.reset();
        return;
      }
      // Released when the stream ends, however it ends (a handler that throws gets its stream reset).
      stream.closeFuture().whenComplete((v, e) -> scope.close());
      connectionManager.touched(stream.connection());
      emit(new HostEvent.StreamOpened(stream));
      h.handle(stream);
    };
  }

  private boolean tooManyInboundStreams(Stream stream) {
    Connection c = stream.connection();
    int limit = connectionManager.config().maxInboundStreamsPerConnection();
    int inbound = 0;
    for (Stream s : c.streams()) if (!s.isInitiator()) inbound++;
    if (inbound <= limit) return false;
    LOG.warn("closing connection {} to {}: peer opened {} inbound streams at once (limit {})",
        c.id(), c.remotePeer(), inbound, limit);
    stream.reset();
    c.close();
    return true;
  }

  // ---- dialling ----

  @Override public CompletableFuture<Connection> dial(Multiaddr address) {
    return dial(address, false);
  }

  /**
   * Dials {@code address}; with {@code forceNew} a new connection is made even if one to the peer
   * exists (and kept, within the per-peer limit).
   */
  public CompletableFuture<Connection> dial(Multiaddr address, boolean forceNew) {
    if (closed) return CompletableFuture.failedFuture(new IOException("host closed"));
    PeerId expected;
    try {
      expected = address.peerId().orElse(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (peerId.equals(expected)) return CompletableFuture.failedFuture(new IOException("cannot dial ourselves"));
    GatedException gated = gateDial(expected, address);
    if (gated != null) return CompletableFuture.failedFuture(gated);
    if (expected != null && !forceNew) {
      // A direct address is worth dialling even while a limited (relayed) connection exists.
      Connection existing = address.has(dev.weft.p2p.multiformats.Protocol.P2P_CIRCUIT)
          ? firstConnection(expected) : firstDirectConnection(expected);
      if (existing != null) return CompletableFuture.completedFuture(existing);
      CompletableFuture<Connection> mine = new CompletableFuture<>();
      CompletableFuture<Connection> pending = pendingDials.putIfAbsent(expected, mine);
      if (pending != null) return pending;
      dialTransport(address, expected, false).whenComplete((c, e) -> {
        pendingDials.remove(expected, mine);
        if (e != null) mine.completeExceptionally(unwrap(e));
        else mine.complete(c);
      });
      return mine;
    }
    return dialTransport(address, expected, forceNew);
  }

  /**
   * A new connection to {@code address} (which names its peer) from an ephemeral port, for
   * dial-backs: see {@link Transport#dialFromEphemeralPort}. Kept like a forced new dial.
   */
  public CompletableFuture<Connection> dialBack(Multiaddr address) {
    PeerId expected;
    try {
      expected = namedTarget(address, "a dial-back");
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    GatedException gated = gateDial(expected, address);
    if (gated != null) return CompletableFuture.failedFuture(gated);
    Transport t = transportFor(address);
    if (t == null) return CompletableFuture.failedFuture(new IOException("no transport handles " + address));
    return dialReserved(address, true, () -> t.dialFromEphemeralPort(address, expected, this));
  }

  /** The peer {@code address} names, for a dial ({@code what}) that must name one and not us. */
  private PeerId namedTarget(Multiaddr address, String what) throws IOException {
    if (closed) throw new IOException("host closed");
    PeerId expected = address.peerId().orElse(null);
    if (expected == null) throw new IllegalArgumentException(what + " must name its peer: " + address);
    if (peerId.equals(expected)) throw new IOException("cannot dial ourselves");
    return expected;
  }

  private CompletableFuture<Connection> dialTransport(Multiaddr address, PeerId expected, boolean forceNew) {
    Transport t = transportFor(address);
    ConnectionDialer d = t == null ? dialerFor(address) : null;
    if (t == null && d == null) return CompletableFuture.failedFuture(new IOException("no transport handles " + address));
    return dialReserved(address, forceNew, () -> t != null ? t.dial(address, expected, this) : d.dial(address, expected));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Through the transport's {@link Transport#dialSimultaneous}; as the client, a transport that
   * cannot dial from its listen port gets an ordinary dial (the client role is the dialler's).
   */
  @Override public CompletableFuture<Connection> dialSimultaneous(Multiaddr address, boolean client) {
    PeerId expected;
    try {
      expected = namedTarget(address, "a hole-punch dial");
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    GatedException gated = gateDial(expected, address);
    if (gated != null) return CompletableFuture.failedFuture(gated);
    Transport t = transportFor(address);
    if (t == null) return CompletableFuture.failedFuture(new IOException("no transport handles " + address));
    Connection existing = firstDirectConnection(expected);
    if (existing != null) return CompletableFuture.completedFuture(existing);
    return dialReserved(address, false, () -> {
      CompletableFuture<Connection> dialled = t.dialSimultaneous(address, expected, this, client);
      if (client) {
        dialled = dialled.exceptionallyCompose(e -> unwrap(e) instanceof UnsupportedOperationException
            ? t.dial(address, expected, this) : CompletableFuture.failedFuture(e));
      }
      return dialled;
    });
  }

  /**
   * Dials through {@code dial} holding an outbound slot of the resource manager from before the
   * dial, so dials and inbound connections together stay within the connection total; every path
   * that does not keep the connection gives the slot back.
   */
  private CompletableFuture<Connection> dialReserved(Multiaddr address, boolean forceNew, java.util.function.Supplier<CompletableFuture<Connection>> dial) {
    ConnectionScope slot;
    try {
      slot = resourceManager.reserveOutbound(address);
    } catch (LimitExceededException e) {
      LOG.debug("{}", e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Connection> dialled;
    try {
      dialled = dial.get();
    } catch (RuntimeException e) {
      slot.close();
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Connection> out = dialled.thenCompose(c -> {
      if (!forceNew) {
        Connection existing = c.isLimited() ? firstConnection(c.remotePeer()) : firstDirectConnection(c.remotePeer());
        if (existing != null) {
          // Lost a race with another dial or an inbound connection: keep one connection per peer.
          slot.close();
          c.close();
          return CompletableFuture.completedFuture(existing);
        }
      }
      try {
        slot.upgraded(c.remotePeer(), c.id());
      } catch (LimitExceededException e) {
        c.close();
        return CompletableFuture.failedFuture(e);
      }
      c.closeFuture().whenComplete((v, e) -> slot.close());
      IOException refused = admit(c);
      if (refused != null) return CompletableFuture.failedFuture(refused);
      peerStore.addAddresses(c.remotePeer(), List.of(address.withoutPeerId()), InMemoryPeerStore.CONNECTED_ADDRESS_TTL_MILLIS);
      return CompletableFuture.completedFuture(c);
    });
    // Released however the dial fails (transport error, refused above, or a callback that threw);
    // idempotent, so a slot already given back is not given back twice.
    out.whenComplete((c, e) -> {
      if (e != null) slot.close();
    });
    return out;
  }

  @Override public CompletableFuture<Connection> connect(PeerId peer) {
    Connection existing = firstConnection(peer);
    if (existing != null) return CompletableFuture.completedFuture(existing);
    CompletableFuture<Connection> pending = pendingDials.get(peer);
    if (pending != null) return pending;
    List<Multiaddr> addrs = new ArrayList<>();
    for (Multiaddr a : peerStore.addresses(peer)) {
      if (transportFor(a) != null) addrs.add(a.withPeerId(peer));
    }
    // Relayed addresses last: a direct connection is better whenever one can be had.
    for (Multiaddr a : peerStore.addresses(peer)) {
      if (transportFor(a) == null && dialerFor(a) != null) addrs.add(a.withPeerId(peer));
    }
    if (addrs.isEmpty()) return CompletableFuture.failedFuture(new IOException("no known dialable address for " + peer));
    return dialInTurn(addrs, 0, null);
  }

  private CompletableFuture<Connection> dialInTurn(List<Multiaddr> addrs, int i, Throwable last) {
    if (i >= addrs.size()) {
      return CompletableFuture.failedFuture(new IOException("all " + addrs.size() + " addresses failed; last: "
          + (last == null ? "?" : last.getMessage()), last));
    }
    return dial(addrs.get(i)).handle((c, e) -> c != null ? CompletableFuture.completedFuture(c) : dialInTurn(addrs, i + 1, unwrap(e)))
        .thenCompose(f -> f);
  }

  @Override public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
    return connect(peer).thenCompose(c -> c.newStream(protocols)).thenApply(s -> {
      connectionManager.touched(s.connection());
      emit(new HostEvent.StreamOpened(s));
      return s;
    });
  }

  /** Opens a stream on the connection to {@code address} (dialling or reusing). */
  public CompletableFuture<Stream> newStream(Multiaddr address, List<String> protocols) {
    return dial(address).thenCompose(c -> c.newStream(protocols)).thenApply(s -> {
      connectionManager.touched(s.connection());
      emit(new HostEvent.StreamOpened(s));
      return s;
    });
  }

  // ---- connection table ----

  /**
   * Admits a secured connection into the table, or closes it; returns why not (a
   * {@link GatedException} when the gater refused it), or null. The gater is asked under the
   * table's lock, so a {@link #regate} after a rule change cannot miss a connection admitted
   * under the old rule.
   */
  private IOException admit(Connection c) {
    if (closed) {
      c.close();
      return new IOException("host closed");
    }
    IOException refused = null;
    synchronized (connections) {
      String gated = gater.refuseConnection(c);
      if (gated != null) {
        refused = new GatedException((c.isInitiator() ? "connection to " : "connection from ") + c.remotePeer(), gated);
      } else {
        String full = connectionManager.admit(c.remotePeer());
        if (full != null) refused = new IOException(full);
        else {
          connections.computeIfAbsent(c.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(c);
          connectionManager.added(c);
        }
      }
    }
    if (refused != null) {
      if (refused instanceof GatedException) (c.isInitiator() ? gatedOutbound : gatedInbound).increment();
      c.close();
      return refused;
    }
    c.closeFuture().whenComplete((v, e) -> removed(c));
    emit(new HostEvent.PeerConnected(c));
    return null;
  }

  private void removed(Connection c) {
    synchronized (connections) {
      List<Connection> list = connections.get(c.remotePeer());
      if (list == null || !list.remove(c)) return;
      if (list.isEmpty()) connections.remove(c.remotePeer());
      connectionManager.removed(c);
    }
    emit(new HostEvent.PeerDisconnected(c));
  }

  /** A connection to {@code peer}, direct ones first (new streams should not ride a relay if they need not). */
  private Connection firstConnection(PeerId peer) {
    List<Connection> list = connections.get(peer);
    if (list == null) return null;
    Connection limited = null;
    for (Connection c : list) {
      if (!c.isLimited()) return c;
      if (limited == null) limited = c;
    }
    return limited;
  }

  private Connection firstDirectConnection(PeerId peer) {
    Connection c = firstConnection(peer);
    return c == null || c.isLimited() ? null : c;
  }

  @Override public List<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    for (List<Connection> l : connections.values()) all.addAll(l);
    all.sort((a, b) -> Long.compare(a.id(), b.id()));
    return all;
  }

  @Override public List<Connection> connections(PeerId peer) {
    List<Connection> l = connections.get(peer);
    return l == null ? List.of() : List.copyOf(l);
  }

  @Override public PeerStore peerStore() {
    return peerStore;
  }

  // ---- events ----

  @Override public AutoCloseable subscribe(Consumer<HostEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Publishes {@code event} to subscribers, in order, on the host scheduler (protocol services use it too). */
  public void emit(HostEvent event) {
    if (event instanceof HostEvent.PeerIdentified id) {
      connectionManager.identified(id.peer());
      resourceManager.identified(id.peer());
    }
    scheduler.execute(() -> {
      for (Consumer<HostEvent> l : listeners) {
        try {
          l.accept(event);
        } catch (RuntimeException e) {
          LOG.error("host event listener failed on {}", event.getClass().getSimpleName(), e);
        }
      }
    });
  }

  /** Ties {@code service}'s lifetime to the host's: closed when the host closes (newest first). */
  public void own(AutoCloseable service) {
    owned.add(service);
  }

  // ---- services ----

  @Override public <S> S install(ServiceFactory<S> factory) {
    if (closed) throw new IllegalStateException("host closed");
    S service = factory.create(context);
    if (service == null) throw new IllegalStateException("service factory " + factory + " returned null");
    services.add(service);
    if (service instanceof AutoCloseable c) own(c);
    return service;
  }

  @Override public <S> Optional<S> service(Class<S> type) {
    for (Object s : services) if (type.isInstance(s)) return Optional.of(type.cast(s));
    return Optional.empty();
  }

  /** The context every service of this host is built with. */
  public ServiceContext context() {
    return context;
  }

  private final class Context implements ServiceContext {
    @Override public Host host() {
      return BasicHost.this;
    }

    @Override public Scheduler scheduler() {
      return scheduler;
    }

    @Override public long nowNanos() {
      return nanos.getAsLong();
    }

    @Override public long wallClockMillis() {
      return wallClock.getAsLong();
    }

    @Override public Random random() {
      return random;
    }

    @Override public void emit(HostEvent event) {
      BasicHost.this.emit(event);
    }

    @Override public AutoCloseable subscribe(Consumer<HostEvent> listener) {
      return BasicHost.this.subscribe(listener);
    }

    @Override public void onProtocolsChanged(Runnable listener) {
      BasicHost.this.onProtocolsChanged(listener);
    }

    @Override public void onClose(AutoCloseable resource) {
      own(resource);
    }

    @Override public ResourceScope resources() {
      return resources;
    }

    @Override public <S> Optional<S> service(Class<S> type) {
      return BasicHost.this.service(type);
    }

    @Override public void addDialer(ConnectionDialer dialer) {
      dialers.add(dialer);
    }

    @Override public boolean adopt(Connection connection) {
      // A relayed connection counts against the resource manager's total and per-peer limits like
      // any other: without this a relay could bring in connections past them.
      ConnectionScope slot;
      try {
        slot = resourceManager.admitRelayed(connection.remotePeer(), connection.id());
      } catch (LimitExceededException e) {
        LOG.info("refusing inbound connection from {} (made by a service): {}", connection.remotePeer(), e.getMessage());
        connection.close();
        return false;
      }
      slot.onShed(connection::close);
      IOException refused = admit(connection);
      if (refused != null) {
        slot.close();
        LOG.info("refusing inbound connection from {} (made by a service): {}", connection.remotePeer(), refused.getMessage());
        return false;
      }
      connection.closeFuture().whenComplete((v, e) -> slot.close());
      return true;
    }

    @Override public ProtocolHandler inboundHandler(String protocolId) {
      return handler(protocolId);
    }

    @Override public void advertise(Supplier<List<Multiaddr>> addresses) {
      advertisedSources.add(addresses);
    }

    @Override public String toString() {
      return "ServiceContext{" + peerId + "}";
    }
  }

  private Transport transportFor(Multiaddr a) {
    for (Transport t : transports) if (t.handles(a)) return t;
    return null;
  }

  private ConnectionDialer dialerFor(Multiaddr a) {
    for (ConnectionDialer d : dialers) if (d.handles(a)) return d;
    return null;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    for (int i = owned.size() - 1; i >= 0; i--) closeQuietly(owned.get(i));
    connectionManager.close();
    for (Connection c : connections()) c.close();
    for (Transport t : transports) closeQuietly(t);
    if (ownedScheduler != null) closeQuietly(ownedScheduler);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("error while closing {}", c, e);
    }
  }

  @Override public String toString() {
    return "BasicHost{" + peerId + "}";
  }
}
