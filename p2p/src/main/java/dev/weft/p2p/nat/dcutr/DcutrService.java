package dev.weft.p2p.nat.dcutr;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.DiscardingHandler;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR ({@code /libp2p/dcutr}) as a host service: the thin adapter around {@link HolePunch}.
 * On a relayed connection we accepted it runs the initiator; on a {@code /libp2p/dcutr} stream
 * over a relayed connection, the responder. It carries the machine's actions out — streams,
 * messages (length-prefixed, at most 4 KiB, each read with a deadline), the RTT/2 timer, direct
 * dials through the host — and, once a direct connection to the peer exists, closes the relayed
 * one after a grace period.
 *
 * <p>Direct dials are {@link Host#dialSimultaneous}: from our listen port (so a port-preserving
 * NAT maps them to the port we told the peer), to all the peer's addresses at once, with the
 * spec's roles (A, which dialled the relayed connection, is the client; B the server) whichever
 * way the SYNs cross. Through two endpoint-independent ("cone") NATs the crossing SYNs open both
 * mappings and meet; through an endpoint-dependent ("symmetric") one they cannot, and the peers
 * stay on the relay.
 *
 * <p>Threads: every machine is confined to the host scheduler; stream callbacks hop onto it.
 */
public final class DcutrService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DcutrService.class);
  public static final String PROTOCOL_ID = "/libp2p/dcutr";

  /** How an upgrade of one relayed connection ended. */
  public record Outcome(PeerId peer, boolean direct, int attempts, double rttMillis, String reason) {}

  private final ServiceContext context;
  private final Host host;
  private final Scheduler scheduler;
  private final DcutrConfig config;
  private final Supplier<List<Multiaddr>> ourAddresses;
  private final AutoCloseable subscription;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<Outcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private DcutrService(ServiceContext context, DcutrConfig config, Supplier<List<Multiaddr>> extraAddresses) {
    this.context = context;
    this.host = context.host();
    this.scheduler = context.scheduler();
    this.config = config;
    this.ourAddresses = () -> {
      List<Multiaddr> all = new ArrayList<>(extraAddresses.get());
      all.addAll(host.advertisedAddresses());
      return HolePunch.dialable(all);
    };
    host.setStreamHandler(PROTOCOL_ID, this::onStream);
    this.subscription = context.subscribe(e -> {
      if (config.autoStart() && e instanceof HostEvent.PeerConnected pc && pc.connection().isLimited() && !pc.connection().isInitiator()) {
        upgrade(pc.connection());
      }
    });
  }

  /** DCUtR advertising our listen and advertised addresses. */
  public static ServiceFactory<DcutrService> factory(DcutrConfig config) {
    return factory(config, List::of);
  }

  /** DCUtR advertising {@code observed} (confirmed observed addresses, port mappings) first, then our own. */
  public static ServiceFactory<DcutrService> factory(DcutrConfig config, Supplier<List<Multiaddr>> observed) {
    return context -> new DcutrService(context, config, observed);
  }

  /** Upgrades made or given up, oldest first. */
  public List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  // ---- initiator (B: we accepted the relayed connection) ----

  /** Runs the initiator on {@code relayed}; completes with the outcome (never exceptionally). */
  public CompletableFuture<Outcome> upgrade(Connection relayed) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (!admitted(relayed, result)) return;
      HolePunch m = HolePunch.initiator(ourAddresses.get(), config.maxAttempts());
      initiatorAct(m, relayed, m.start(), result);
    });
    return result;
  }

  private void initiatorAct(HolePunch m, Connection relayed, HolePunch.Action a, CompletableFuture<Outcome> result) {
    if (a == null) return;
    switch (a) {
      case HolePunch.Action.OpenStream open -> relayed.newStream(List.of(PROTOCOL_ID)).whenComplete((s, e) -> scheduler.execute(() -> {
        if (e != null) {
          initiatorAct(m, relayed, m.onStreamFailed("no dcutr stream: " + e.getMessage()), result);
          return;
        }
        send(s, new DcutrMessage.Connect(open.ours()));
        m.connectSent(context.nowNanos());
        read(s).whenComplete((msg, x) -> scheduler.execute(() -> {
          if (x != null || !(msg instanceof DcutrMessage.Connect c)) {
            s.reset();
            initiatorAct(m, relayed, m.onStreamFailed(x != null ? x.toString() : "expected CONNECT, got " + msg), result);
            return;
          }
          for (HolePunch.Action next : m.onConnect(c.addrs(), context.nowNanos())) {
            if (next instanceof HolePunch.Action.SendSync) {
              send(s, new DcutrMessage.Sync());
              s.closeWrite();
              s.setHandler(new DiscardingHandler());
            } else {
              initiatorAct(m, relayed, next, result);
            }
          }
        }));
      }));
      case HolePunch.Action.Dial d -> scheduler.schedule(d.delayMillis(), () -> dial(relayed.remotePeer(), d.theirs(), d.client())
          .whenComplete((ok, e) -> scheduler.execute(() -> initiatorAct(m, relayed, m.onDialed(ok != null && ok), result))));
      case HolePunch.Action.Succeeded s -> finish(relayed, new Outcome(relayed.remotePeer(), true, s.attempts(), s.rttMillis(), "direct"), result);
      case HolePunch.Action.Failed f -> finish(relayed, new Outcome(relayed.remotePeer(), false, f.attempts(), -1, f.reason()), result);
      case HolePunch.Action.SendConnect sc -> throw new IllegalStateException("initiator asked to answer CONNECT");
      case HolePunch.Action.SendSync ss -> throw new IllegalStateException("SYNC handled with its stream");
    }
  }

  // ---- responder (A: we dialled the relayed connection) ----

  private void onStream(Stream s) {
    Connection relayed = s.connection();
    if (!relayed.isLimited()) {
      // Already direct: nothing to upgrade, and no reason to let a peer make us dial.
      s.reset();
      return;
    }
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (!admitted(relayed, result)) {
        s.reset();
        return;
      }
      HolePunch m = HolePunch.responder(ourAddresses.get());
      read(s).whenComplete((msg, x) -> scheduler.execute(() -> {
        if (x != null || !(msg instanceof DcutrMessage.Connect c)) {
          s.reset();
          responderAct(m, relayed, m.onStreamFailed(x != null ? x.toString() : "expected CONNECT, got " + msg), result);
          return;
        }
        for (HolePunch.Action a : m.onConnect(c.addrs(), context.nowNanos())) {
          if (a instanceof HolePunch.Action.SendConnect sc) {
            // the SYNC reader goes in before our CONNECT leaves, so the SYNC cannot arrive unread
            CompletableFuture<DcutrMessage> sync = read(s);
            send(s, new DcutrMessage.Connect(sc.ours()));
            sync.whenComplete((msg2, y) -> scheduler.execute(() -> {
              if (y != null || !(msg2 instanceof DcutrMessage.Sync)) {
                s.reset();
                responderAct(m, relayed, m.onStreamFailed(y != null ? y.toString() : "expected SYNC, got " + msg2), result);
                return;
              }
              s.closeWrite();
              s.setHandler(new DiscardingHandler());
              for (HolePunch.Action next : m.onSync()) responderAct(m, relayed, next, result);
            }));
          } else {
            responderAct(m, relayed, a, result);
          }
        }
      }));
    });
  }

  private void responderAct(HolePunch m, Connection relayed, HolePunch.Action a, CompletableFuture<Outcome> result) {
    if (a == null) return;
    switch (a) {
      case HolePunch.Action.Dial d -> dial(relayed.remotePeer(), d.theirs(), d.client())
          .whenComplete((ok, e) -> scheduler.execute(() -> responderAct(m, relayed, m.onDialed(ok != null && ok), result)));
      case HolePunch.Action.Succeeded s -> finish(relayed, new Outcome(relayed.remotePeer(), true, s.attempts(), -1, "direct"), result);
      case HolePunch.Action.Failed f -> finish(relayed, new Outcome(relayed.remotePeer(), false, f.attempts(), -1, f.reason()), result);
      default -> throw new IllegalStateException("responder asked to " + a);
    }
  }

  // ---- shared ----

  private boolean admitted(Connection relayed, CompletableFuture<Outcome> result) {
    if (inFlight.incrementAndGet() > config.maxConcurrentUpgrades()) {
      inFlight.decrementAndGet();
      result.complete(new Outcome(relayed.remotePeer(), false, 0, -1, "too many upgrades in flight"));
      return false;
    }
    return true;
  }

  /**
   * One attempt's direct dials: every address at once (one that goes nowhere must not delay the
   * SYN to the one that works), each from our listen port in the hole punch's {@code client} or
   * server role. True once a direct connection to {@code peer} exists — one of ours, or the
   * peer's own dial accepted by our listener (our dial of that address then fails, its
   * four-tuple taken, while the accepted connection may still be upgrading) — false if none by
   * {@link DcutrConfig#punchTimeoutMillis}.
   */
  private CompletableFuture<Boolean> dial(PeerId peer, List<Multiaddr> addrs, boolean client) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    AutoCloseable watch = context.subscribe(e -> {
      if (e instanceof HostEvent.PeerConnected pc && pc.connection().remotePeer().equals(peer) && !pc.connection().isLimited()) done.complete(true);
    });
    done.whenComplete((ok, e) -> closeQuietly(watch));
    if (hasDirect(peer)) {
      done.complete(true);
      return done;
    }
    scheduler.schedule(config.punchTimeoutMillis(), () -> done.complete(hasDirect(peer)));
    for (Multiaddr a : addrs) {
      host.dialSimultaneous(a.withPeerId(peer), client).whenComplete((c, e) -> {
        if (e != null) LOG.debug("hole-punch dial of {} at {} failed: {}", peer, a, e.toString());
        if (c != null && !c.isLimited()) done.complete(true);
      });
    }
    return done;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing an event subscription failed", e);
    }
  }

  private boolean hasDirect(PeerId peer) {
    for (Connection c : host.connections(peer)) if (!c.isLimited()) return true;
    return false;
  }

  private void finish(Connection relayed, Outcome o, CompletableFuture<Outcome> result) {
    inFlight.decrementAndGet();
    outcomes.add(o);
    LOG.debug("dcutr with {}: {}", o.peer(), o);
    if (o.direct()) scheduler.schedule(config.relayCloseGraceMillis(), relayed::close);
    result.complete(o);
  }

  private static void send(Stream s, DcutrMessage m) {
    byte[] body = DcutrCodec.encode(m);
    s.write(Unpooled.wrappedBuffer(Varint.encode(body.length), body));
  }

  private CompletableFuture<DcutrMessage> read(Stream s) {
    LengthPrefixedReader r = new LengthPrefixedReader(DcutrCodec.MAX_MESSAGE_BYTES, config.messageTimeoutMillis(), scheduler, s);
    s.setHandler(r);
    return r.result().thenApply(body -> {
      try {
        return DcutrCodec.decode(body);
      } catch (ProtocolViolationException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  @Override public void close() throws Exception {
    host.removeStreamHandler(PROTOCOL_ID);
    subscription.close();
  }
}
