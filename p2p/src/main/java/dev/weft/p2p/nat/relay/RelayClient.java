package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.ConnectionDialer;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.multistream.MultistreamHandler;
import dev.weft.p2p.noise.NoiseHandshakeHandler;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.protocol.identify.IdentifyService;
import dev.weft.p2p.protocol.io.DiscardingHandler;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.record.InvalidRecordException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.upgrade.StreamChannel;
import dev.weft.p2p.upgrade.UpgradePipeline;
import dev.weft.p2p.yamux.YamuxConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoopGroup;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2 (circuit-v2.md) as a host service:
 * <ul>
 *   <li>reserves a slot on each configured relay, refreshes it before it expires, and reserves
 *       again (with backoff) when it is refused or the connection to the relay drops;
 *   <li>advertises {@code RELAY-ADDR/p2p-circuit/p2p/SELF} for each held reservation, through the
 *       host's advertised addresses (identify, peer records), pushing identify when they change;
 *   <li>dials {@code .../p2p/RELAY/p2p-circuit/p2p/TARGET} (it is the host's dialer for them):
 *       hop CONNECT, then the Noise + Yamux upgrade inside the relayed stream;
 *   <li>answers {@code /libp2p/circuit/relay/0.2.0/stop} from relays it holds a reservation on,
 *       upgrading the stream as an inbound connection that the host adopts.
 * </ul>
 * Relayed connections are {@linkplain Connection#isLimited() limited}: their remote address ends
 * in {@code /p2p-circuit}. They run on this service's own event loops, closed with it.
 *
 * <p>Threads: reservation state changes on the host scheduler; dial and stop streams are handled
 * on their connections' threads; the maps read from elsewhere are concurrent.
 */
public final class RelayClient implements ConnectionDialer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

  /** A reservation we hold. */
  public record Held(PeerId relay, Connection connection, List<Multiaddr> relayAddrs, long expireUnixSeconds, RelayMessage.Limit limit,
      ReservationVoucher voucher) {
    /** Our circuit addresses through this relay: each relay address with /p2p-circuit/p2p/SELF. */
    public List<Multiaddr> circuitAddresses(PeerId self) {
      return relayAddrs.stream().map(a -> a.encapsulate("/p2p-circuit").withPeerId(self)).toList();
    }
  }

  private final ServiceContext context;
  private final Host host;
  private final Scheduler scheduler;
  private final RelayClientConfig config;
  private final UpgradePipeline pipeline;
  private final DefaultEventLoopGroup loops;
  private final StreamRouter router;
  private final Map<PeerId, Held> held = new ConcurrentHashMap<>();
  private final Map<Multiaddr, Cancellable> timers = new ConcurrentHashMap<>();
  private final Map<Multiaddr, Integer> failures = new ConcurrentHashMap<>();
  /** Relays found at run time (not configured) that we keep a reservation on until {@link #drop}. */
  private final Set<Multiaddr> kept = ConcurrentHashMap.newKeySet();
  private final Set<Connection> relayed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inboundCircuits = new AtomicInteger();
  private volatile boolean closed;

  private RelayClient(ServiceContext context, RelayClientConfig config) {
    this.context = context;
    this.host = context.host();
    this.scheduler = context.scheduler();
    this.config = config;
    SecureRandom random = new SecureRandom();
    this.pipeline = UpgradePipeline.noiseYamux(host.privateKey(), X25519KeyPair.generate(random), random, YamuxConfig.DEFAULT,
        MultistreamHandler.DEFAULT_TIMEOUT_MILLIS, NoiseHandshakeHandler.DEFAULT_TIMEOUT_MILLIS, config.upgradeTimeoutMillis(), true);
    this.loops = new DefaultEventLoopGroup(config.eventLoopThreads());
    this.router = new StreamRouter() {
      @Override public List<String> protocols() {
        return host.protocols();
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return context.inboundHandler(protocolId);
      }
    };
    host.setStreamHandler(RelayProtocol.STOP, this::onStop);
    context.addDialer(this);
    context.advertise(this::circuitAddresses);
    for (Multiaddr r : config.relays()) scheduler.execute(() -> keepReserved(r));
  }

  public static ServiceFactory<RelayClient> factory(RelayClientConfig config) {
    return context -> new RelayClient(context, config);
  }

  // ---- reservations ----

  /** Reservations held now, by relay. */
  public Map<PeerId, Held> reservations() {
    return Map.copyOf(held);
  }

  /** Our circuit addresses through every relay we hold a reservation on. */
  public List<Multiaddr> circuitAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Held h : held.values()) out.addAll(h.circuitAddresses(host.peerId()));
    return out;
  }

  /**
   * Reserves on {@code relay} (found at run time, e.g. a connected peer that speaks hop) and keeps
   * the reservation as a configured relay's is kept: refreshed before it lapses, made again with
   * backoff when refused or lost, until {@link #drop}. A relay already kept or configured is left
   * as it is.
   */
  public void keep(Multiaddr relay) {
    if (relay.peerId().isEmpty()) throw new IllegalArgumentException("a relay address must end in /p2p/<relay>: " + relay);
    if (config.relays().contains(relay) || !kept.add(relay)) return;
    scheduler.execute(() -> keepReserved(relay));
  }

  /**
   * Stops keeping a reservation on {@code relay} (one passed to {@link #keep}): no more refreshes,
   * and the reservation is no longer advertised. Configured relays are not dropped.
   */
  public void drop(PeerId relay) {
    for (Multiaddr r : List.copyOf(kept)) {
      if (!r.peerId().orElseThrow().equals(relay)) continue;
      kept.remove(r);
      Cancellable t = timers.remove(r);
      if (t != null) t.cancel();
      failures.remove(r);
      scheduler.execute(() -> {
        if (held.remove(relay) != null) addressesChanged();
      });
    }
  }

  /** The run-time relays {@link #keep} holds on to (not the configured ones). */
  public Set<Multiaddr> kept() {
    return Set.copyOf(kept);
  }

  private boolean wanted(Multiaddr relay) {
    return config.relays().contains(relay) || kept.contains(relay);
  }

  /** Reserves (or refreshes) now, and keeps it so; what the configured relays get at start. */
  private void keepReserved(Multiaddr relay) {
    if (closed || !wanted(relay)) return;
    reserve(relay).whenComplete((h, e) -> scheduler.execute(() -> {
      if (closed) return;
      if (!wanted(relay)) {
        // dropped while the reservation was in flight
        if (e == null && held.remove(h.relay(), h)) addressesChanged();
        return;
      }
      if (e != null) {
        int n = failures.merge(relay, 1, Integer::sum);
        long wait = config.retryDelayMillis(n);
        LOG.info("reservation on {} failed ({}); retrying in {} ms", relay, unwrap(e).getMessage(), wait);
        schedule(relay, wait);
        return;
      }
      failures.remove(relay);
      long remaining = h.expireUnixSeconds() * 1000 - context.wallClockMillis();
      schedule(relay, config.refreshDelayMillis(remaining));
    }));
  }

  private void schedule(Multiaddr relay, long delayMillis) {
    Cancellable old = timers.put(relay, scheduler.schedule(delayMillis, () -> keepReserved(relay)));
    if (old != null) old.cancel();
  }

  /**
   * Sends RESERVE to {@code relay} (connecting first if needed) and, on OK, holds the reservation
   * until it expires or the connection drops. Fails with {@link RelayRefusedException} on a
   * refusal, or if the voucher is not the relay's for us.
   */
  public CompletableFuture<Held> reserve(Multiaddr relay) {
    PeerId relayId = relay.peerId().orElseThrow(() -> new IllegalArgumentException("no /p2p/ in " + relay));
    return host.dial(relay).thenCompose(c -> {
      if (c.isLimited()) return CompletableFuture.failedFuture(new IOException("will not reserve over a relayed connection to " + relayId));
      return c.newStream(List.of(RelayProtocol.HOP)).thenCompose(s -> {
        write(s, RelayCodec.encodeHop(new RelayMessage.HopReserve()));
        return readStatus(s).thenApply(m -> {
          endStream(s);
          return accept(relayId, c, m.body());
        });
      });
    });
  }

  private Held accept(PeerId relay, Connection c, RelayMessage.HopStatus st) {
    if (st.status() != RelayMessage.Status.OK) throw new CompletionException(new RelayRefusedException(st.status(), relay + " refused the reservation"));
    if (st.reservation() == null) throw new CompletionException(new ProtocolViolationException(relay + " said OK without a reservation"));
    ReservationVoucher voucher = null;
    if (st.reservation().voucher() != null) {
      try {
        voucher = ReservationVoucher.open(st.reservation().voucher());
      } catch (InvalidRecordException e) {
        throw new CompletionException(new ProtocolViolationException("voucher from " + relay + " does not verify: " + e.getMessage()));
      }
      if (!voucher.relay().equals(relay) || !voucher.peer().equals(host.peerId())) {
        throw new CompletionException(new ProtocolViolationException("voucher from " + relay + " is for " + voucher.peer() + " at " + voucher.relay()));
      }
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (Multiaddr a : st.reservation().addrs()) {
      if (a.has(Protocol.P2P_CIRCUIT)) continue;
      if (a.peerId().isPresent() && !a.peerId().get().equals(relay)) continue;
      addrs.add(a.withPeerId(relay));
    }
    // A relay that lists no address is reached where we reached it.
    if (addrs.isEmpty()) addrs.add(c.remoteAddress().withPeerId(relay));
    Held h = new Held(relay, c, List.copyOf(addrs), st.reservation().expireUnixSeconds(), st.limit(), voucher);
    Held old = held.put(relay, h);
    if (old == null || !old.relayAddrs().equals(h.relayAddrs())) addressesChanged();
    c.closeFuture().whenComplete((v, e) -> scheduler.execute(() -> lost(h)));
    return h;
  }

  /** The connection that carried {@code h} closed: the reservation went with it (spec). */
  private void lost(Held h) {
    if (!held.remove(h.relay(), h)) return;
    addressesChanged();
    if (closed) return;
    List<Multiaddr> wanted = new ArrayList<>(config.relays());
    wanted.addAll(kept);
    for (Multiaddr r : wanted) {
      if (r.peerId().orElseThrow().equals(h.relay())) {
        LOG.info("connection to relay {} closed; reserving again", h.relay());
        schedule(r, config.retryDelayMillis(1));
      }
    }
  }

  private void addressesChanged() {
    context.service(IdentifyService.class).ifPresent(IdentifyService::pushAll);
  }

  // ---- dialling through a relay ----

  @Override public boolean handles(Multiaddr address) {
    return address.has(Protocol.P2P_CIRCUIT);
  }

  /** Dials {@code .../p2p/RELAY/p2p-circuit/p2p/TARGET}: hop CONNECT, then the upgrade inside the stream. */
  @Override public CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer) {
    Multiaddr relayPart = address.decapsulate(Protocol.P2P_CIRCUIT);
    PeerId target = expectedPeer != null ? expectedPeer : address.peerId().orElse(null);
    PeerId relay = relayPart.peerId().orElse(null);
    if (target == null || relay == null || relayPart.has(Protocol.P2P_CIRCUIT)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a /p2p/RELAY/p2p-circuit/p2p/TARGET address: " + address));
    }
    if (closed) return CompletableFuture.failedFuture(new IOException("relay client closed"));
    CompletableFuture<Connection> toRelay = relayPart.components().size() > 1 ? host.dial(relayPart) : host.connect(relay);
    return toRelay.thenCompose(c -> {
      if (c.isLimited()) return CompletableFuture.failedFuture(new IOException("will not relay over a relayed connection to " + relay));
      return c.newStream(List.of(RelayProtocol.HOP));
    }).thenCompose(s -> {
      write(s, RelayCodec.encodeHop(new RelayMessage.HopConnect(new RelayMessage.Peer(target, List.of()))));
      return readStatus(s).thenCompose(m -> {
        if (m.body().status() != RelayMessage.Status.OK) {
          if (m.rest() != null) m.rest().release();
          endStream(s);
          return CompletableFuture.failedFuture(new RelayRefusedException(m.body().status(), relay + " did not connect us to " + target));
        }
        return upgraded(StreamChannel.upgrade(s, m.rest(), true, target, router, pipeline, loops.next(), context::nowNanos));
      });
    });
  }

  // ---- being dialled through a relay ----

  private void onStop(Stream stream) {
    PeerId relay = stream.remotePeer();
    if (!held.containsKey(relay)) {
      LOG.debug("stop stream from {}, which holds no reservation of ours: refused", relay);
      answerStop(stream, RelayMessage.Status.PERMISSION_DENIED);
      return;
    }
    if (inboundCircuits.incrementAndGet() > config.maxInboundCircuits()) {
      inboundCircuits.decrementAndGet();
      answerStop(stream, RelayMessage.Status.RESOURCE_LIMIT_EXCEEDED);
      return;
    }
    HeaderReader.read(stream, RelayCodec.MAX_MESSAGE_BYTES, config.messageTimeoutMillis(), scheduler, new HeaderReader.Listener() {
      @Override public void onMessage(Stream s, byte[] body, ByteBuf rest) {
        RelayMessage m;
        try {
          m = RelayCodec.decodeStop(body);
        } catch (ProtocolViolationException e) {
          m = null;
        }
        if (!(m instanceof RelayMessage.StopConnect connect)) {
          if (rest != null) rest.release();
          inboundCircuits.decrementAndGet();
          answerStop(s, m == null ? RelayMessage.Status.MALFORMED_MESSAGE : RelayMessage.Status.UNEXPECTED_MESSAGE);
          return;
        }
        write(s, RelayCodec.encodeStop(new RelayMessage.StopStatus(RelayMessage.Status.OK)));
        PeerId source = connect.peer().id();
        upgraded(StreamChannel.upgrade(s, rest, false, null, router, pipeline, loops.next(), context::nowNanos)).whenComplete((inner, e) -> {
          if (e != null) {
            inboundCircuits.decrementAndGet();
            LOG.debug("inbound circuit from {} via {} failed to upgrade: {}", source, relay, e.toString());
            return;
          }
          inner.closeFuture().whenComplete((v, x) -> inboundCircuits.decrementAndGet());
          if (!inner.remotePeer().equals(source)) {
            LOG.info("circuit via {} announced {} but {} authenticated: closed", relay, source, inner.remotePeer());
            inner.close();
            return;
          }
          context.adopt(inner);
        });
      }

      @Override public void onFailed(Stream s, Throwable cause) {
        inboundCircuits.decrementAndGet();
        LOG.debug("no stop message from {}: {}", relay, cause.toString());
        s.reset();
      }
    });
  }

  private void answerStop(Stream s, RelayMessage.Status status) {
    write(s, RelayCodec.encodeStop(new RelayMessage.StopStatus(status)));
    endStream(s);
  }

  /** Tracks a relayed connection so that closing the service closes it before its event loop. */
  private CompletableFuture<Connection> upgraded(CompletableFuture<Connection> f) {
    return f.thenApply(c -> {
      relayed.add(c);
      c.closeFuture().whenComplete((v, e) -> relayed.remove(c));
      if (closed) c.close();
      return c;
    });
  }

  // ---- stream helpers ----

  private record Status(RelayMessage.HopStatus body, ByteBuf rest) {}

  /** Reads the relay's STATUS answer; fails on anything else. {@code rest} is the caller's. */
  private CompletableFuture<Status> readStatus(Stream s) {
    CompletableFuture<Status> f = new CompletableFuture<>();
    HeaderReader.read(s, RelayCodec.MAX_MESSAGE_BYTES, config.messageTimeoutMillis(), scheduler, new HeaderReader.Listener() {
      @Override public void onMessage(Stream stream, byte[] body, ByteBuf rest) {
        try {
          if (RelayCodec.decodeHop(body) instanceof RelayMessage.HopStatus st) {
            if (!f.complete(new Status(st, rest)) && rest != null) rest.release();
            return;
          }
          throw new ProtocolViolationException("relay answered with something other than STATUS");
        } catch (ProtocolViolationException e) {
          if (rest != null) rest.release();
          stream.reset();
          f.completeExceptionally(e);
        }
      }

      @Override public void onFailed(Stream stream, Throwable cause) {
        stream.reset();
        f.completeExceptionally(cause);
      }
    });
    return f;
  }

  private static void write(Stream s, byte[] body) {
    s.write(HeaderReader.frame(body));
  }

  /** We are done with {@code s}: half-close, drop what still comes, reset it if the other side lingers. */
  private void endStream(Stream s) {
    s.closeWrite();
    s.setHandler(new DiscardingHandler());
    Cancellable t = scheduler.schedule(config.messageTimeoutMillis(), s::reset);
    s.closeFuture().whenComplete((v, e) -> t.cancel());
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    host.removeStreamHandler(RelayProtocol.STOP);
    for (Cancellable t : timers.values()) t.cancel();
    timers.clear();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Connection c : relayed) closing.add(c.close());
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("relayed connections did not all close in time: {}", e.toString());
    }
    held.clear();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
