package dev.weft.dht.host;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtMode;
import dev.weft.dht.KadNode;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.WallClock;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtDecodeException;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.codec.MultiaddrBytes;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.io.MessageTooLargeException;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.protocol.ping.PingService;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kad-dht service on a libp2p host: a {@link KadNode} whose requests travel on
 * {@code config.protocolId()} streams, one request and one response per stream as js and go do.
 * In server mode it registers the protocol (so identify advertises it and peers add us); in client
 * mode it registers nothing and answers nothing. Peers that identify as DHT servers are offered to
 * the routing table (the node checks a full bucket's oldest resident by ping before replacing it).
 *
 * <p>Installed like any host service ({@link #factory}); it finds the host's ping service through
 * its {@link ServiceContext}. Threading: the node runs on the host's scheduler; stream callbacks
 * hop onto it. The host closes it (before the services installed earlier); it does not close its
 * store, so hand the store to the host before the DHT ({@code host.own(store)}) or close it after.
 * {@link #close} must not be called on the host's scheduler thread.
 */
public final class KadDht implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);
  /** An inbound request must arrive complete within this. */
  public static final long INBOUND_READ_TIMEOUT_MILLIS = 10_000;
  /** Inbound DHT streams one peer may have open at once; more are reset (one request per stream, so honest peers need few). */
  public static final int MAX_INBOUND_STREAMS_PER_PEER = 16;
  /** {@link #close} waits this long for the node to save its routing table. */
  static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  private final Host host;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final KadNode node;
  private final HostKadNetwork network;
  private final AutoCloseable subscription;
  private final boolean keepPrivateAddrs;
  private final java.util.Map<PeerId, java.util.concurrent.atomic.AtomicInteger> inbound = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private KadDht(ServiceContext context, DhtConfig config, DhtStore store, ValidatorRegistry validators, PingService ping, WallClock wall, Random random, boolean keepPrivateAddrs) {
    this.host = context.host();
    this.config = config;
    this.scheduler = context.scheduler();
    this.keepPrivateAddrs = keepPrivateAddrs;
    this.network = new HostKadNetwork(host, config.protocolId(), scheduler, ping, config.lookup().requestTimeoutMillis());
    this.node = new KadNode(PeerInfo.of(host.peerId(), addrBytes(host.listenAddresses())), config, scheduler, wall, random, network, store, validators);
    node.announceAddresses(() -> addrBytes(host.advertisedAddresses()));
    if (config.mode() == DhtMode.SERVER) host.setStreamHandler(config.protocolId(), this::onStream);
    node.onBan(peer -> host.connections(peer).forEach(dev.weft.p2p.api.Connection::close));
    this.subscription = context.subscribe(e -> {
      if (e instanceof HostEvent.PeerIdentified pi) onIdentified(pi.peer());
    });
  }

  /**
   * The DHT as a host service (started: timers run), with the host's ping service (if installed)
   * for liveness checks, the host's randomness and the system wall clock for record ages.
   *
   * @param keepPrivateAddrs whether loopback/private addresses are kept in answers (loopback tests)
   */
  public static ServiceFactory<KadDht> factory(DhtConfig config, DhtStore store, ValidatorRegistry validators, boolean keepPrivateAddrs) {
    return context -> start(new KadDht(context, config, store, validators, context.service(PingService.class).orElse(null),
        WallClock.system(), context.random(), keepPrivateAddrs), context);
  }

  /** Same, with the wall clock injected (simulations on virtual time). */
  public static ServiceFactory<KadDht> factory(DhtConfig config, DhtStore store, ValidatorRegistry validators, boolean keepPrivateAddrs,
      WallClock wall) {
    return context -> start(new KadDht(context, config, store, validators, context.service(PingService.class).orElse(null),
        wall, context.random(), keepPrivateAddrs), context);
  }

  /**
   * Installs the DHT on {@code host} (started: timers run) and returns it.
   *
   * @param ping the host's ping service for liveness checks, or null to use a plain connect
   * @param keepPrivateAddrs whether loopback/private addresses are kept in answers (loopback tests)
   */
  public static KadDht install(Host host, DhtConfig config, DhtStore store, ValidatorRegistry validators, PingService ping, boolean keepPrivateAddrs) {
    return host.install(context -> start(new KadDht(context, config, store, validators, ping, WallClock.system(), context.random(),
        keepPrivateAddrs), context));
  }

  /** Same, with the wall clock and random source injected (simulations on virtual time). */
  public static KadDht install(Host host, DhtConfig config, DhtStore store, ValidatorRegistry validators, PingService ping, boolean keepPrivateAddrs,
      WallClock wall, Random random) {
    return host.install(context -> start(new KadDht(context, config, store, validators, ping, wall, random, keepPrivateAddrs), context));
  }

  private static KadDht start(KadDht d, ServiceContext context) {
    context.scheduler().execute(d.node::start);
    return d;
  }

  public KadNode node() {
    return node;
  }

  public DhtConfig config() {
    return config;
  }

  /** Bootstraps from {@code addresses} (each with /p2p/): connects, then runs the node's bootstrap. */
  public java.util.concurrent.CompletableFuture<dev.weft.dht.QueryResult.ClosestPeers> bootstrap(List<Multiaddr> addresses) {
    List<PeerInfo> seeds = new ArrayList<>();
    for (Multiaddr a : addresses) {
      PeerId id = peerOf(a);
      if (id == null) throw new IllegalArgumentException("bootstrap address needs /p2p/<peer id>: " + a);
      Multiaddr transport = withoutP2p(a);
      host.peerStore().addAddresses(id, List.of(transport), PeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
      seeds.add(PeerInfo.of(id, List.of(transport.bytes())));
    }
    return node.bootstrap(seeds);
  }

  static PeerId peerOf(Multiaddr a) {
    PeerId id = null;
    for (Multiaddr.Component c : a.components()) {
      if (c.name().equals("p2p")) id = PeerId.fromBytes(c.value());
    }
    return id;
  }

  static Multiaddr withoutP2p(Multiaddr a) {
    return Multiaddr.of(a.components().stream().filter(c -> !c.name().equals("p2p")).toList());
  }

  private void onIdentified(PeerId peer) {
    if (!host.peerStore().protocols(peer).contains(config.protocolId())) {
      // It may have switched to client mode (identify push): queries to it would only time out.
      scheduler.execute(() -> node.forgetPeer(peer));
      return;
    }
    PeerInfo info = PeerInfo.of(peer, addrBytes(host.peerStore().addresses(peer)));
    scheduler.execute(() -> node.offerPeer(info));
  }

  private List<byte[]> addrBytes(List<Multiaddr> addrs) {
    List<byte[]> out = new ArrayList<>();
    for (Multiaddr m : addrs) {
      byte[] b = m.bytes();
      if (!MultiaddrBytes.isValid(b)) continue;
      if (!keepPrivateAddrs && MultiaddrBytes.isPrivateOrLoopback(b)) continue;
      out.add(b);
      if (out.size() == DhtCodec.MAX_ADDRS_PER_PEER) break;
    }
    return out;
  }

  private void onStream(Stream stream) {
    PeerId from = stream.remotePeer();
    java.util.concurrent.atomic.AtomicInteger open = inbound.computeIfAbsent(from, p -> new java.util.concurrent.atomic.AtomicInteger());
    if (open.incrementAndGet() > MAX_INBOUND_STREAMS_PER_PEER) {
      open.decrementAndGet();
      LOG.debug("resetting DHT stream from {}: {} already open", from, MAX_INBOUND_STREAMS_PER_PEER);
      stream.reset();
      return;
    }
    stream.closeFuture().whenComplete((v, e) -> {
      if (open.decrementAndGet() == 0) inbound.remove(from, open);
    });
    HostKadNetwork.serve(stream, scheduler, INBOUND_READ_TIMEOUT_MILLIS, body -> scheduler.execute(() -> answer(stream, from, body)), err -> {
      if (err instanceof MessageTooLargeException || err instanceof ProtocolViolationException) {
        scheduler.execute(() -> node.onMalformedRequest(from, err.getMessage()));
      } else {
        LOG.debug("inbound DHT stream from {} ended early: {}", from, err.toString());
      }
    });
  }

  private void answer(Stream stream, PeerId from, byte[] body) {
    if (node.scores().isBanned(from, scheduler.nowMillis())) {
      stream.reset();
      host.connections(from).forEach(dev.weft.p2p.api.Connection::close);
      return;
    }
    DhtMessage req;
    try {
      req = DhtCodec.decode(body);
    } catch (DhtDecodeException e) {
      node.onMalformedRequest(from, e.getMessage());
      stream.reset();
      return;
    }
    boolean fromServer = host.peerStore().protocols(from).contains(config.protocolId());
    PeerInfo fromInfo = PeerInfo.of(from, addrBytes(host.peerStore().addresses(from)));
    Optional<DhtMessage> reply = node.handleRequest(fromInfo, fromServer, req);
    if (reply.isEmpty()) {
      if (req.type() == DhtMessage.Type.ADD_PROVIDER) stream.closeWrite();
      else stream.reset();
      return;
    }
    stream.write(HostKadNetwork.frame(reply.get())).whenComplete((v, e) -> {
      if (e != null) stream.reset();
      else stream.closeWrite();
    });
  }

  /**
   * Server or client mode from now on: a server registers the DHT protocol (identify advertises
   * it, so peers add us to their routing tables) and answers; a client unregisters it (identify
   * pushes the change, and peers stop routing queries to us) and only asks. What a node does when
   * AutoNAT says whether others can dial it. Returns whether the mode changed.
   */
  public synchronized boolean setMode(DhtMode m) {
    if (closed.get() || node.mode() == m) return false;
    node.setMode(m);
    if (m == DhtMode.SERVER) host.setStreamHandler(config.protocolId(), this::onStream);
    else host.removeStreamHandler(config.protocolId());
    LOG.info("DHT {} mode", m == DhtMode.SERVER ? "server" : "client");
    return true;
  }

  public DhtMode mode() {
    return node.mode();
  }

  /** Stops the node (it saves its routing table); idempotent, so the host and its owner may both close it. */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("unsubscribe failed: {}", e.toString());
    }
    if (node.isServer()) host.removeStreamHandler(config.protocolId());
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    scheduler.execute(() -> {
      node.close();
      done.complete(null);
    });
    // On a real scheduler, wait so that whoever closes the store next finds the node quiet; a
    // simulation's scheduler runs the task when the test advances time.
    if (!scheduler.drivenByCaller()) {
      try {
        done.get(CLOSE_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("DHT did not close within {} ms: {}", CLOSE_TIMEOUT_MILLIS, e.toString());
      }
    }
  }
}
