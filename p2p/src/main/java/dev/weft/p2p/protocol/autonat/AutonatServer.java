package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Codec;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v1.V1ServerPlan;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2ServerExchange;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoNAT server, v1 ({@code /libp2p/autonat/1.0.0}) and v2 ({@code /libp2p/autonat/2/dial-request}),
 * on one host. The logic is in {@link V2ServerExchange}, {@link V1ServerPlan}, {@link DialPolicy}
 * and {@link RequestLimiter}; this adapter moves bytes and dials. Their state is confined to the
 * host scheduler: stream callbacks only decode and enqueue.
 *
 * <p>Dial-backs go out on a fresh connection ({@link BasicHost#dialBack}) expecting the
 * requester's peer id, from an ephemeral port even though the TCP transport otherwise dials from
 * its listen port (so a dial-back never passes the requester's NAT through the mapping of the
 * connection it made to us), and the connection is closed once the nonce is delivered.
 */
public final class AutonatServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutonatServer.class);

  private final BasicHost host;
  private final Scheduler scheduler;
  private final AutonatServerConfig config;
  private final RequestLimiter limiter;
  private final DialPolicy policy;
  private final AtomicLong dialBacks = new AtomicLong();

  private AutonatServer(BasicHost host, AutonatServerConfig config, DialPolicy policy) {
    this.host = host;
    this.scheduler = host.scheduler();
    this.config = config;
    this.limiter = new RequestLimiter(config);
    this.policy = policy;
  }

  /** Serves both versions on {@code host}; only TCP addresses are dialled back. The host closes it. */
  public static AutonatServer install(BasicHost host, AutonatServerConfig config) {
    AutonatServer s = new AutonatServer(host, config, new DialPolicy(config, a -> true));
    host.setStreamHandler(AutonatProtocol.V2_DIAL_REQUEST, s::onV2Request);
    host.setStreamHandler(AutonatProtocol.V1_ID, s::onV1Request);
    host.own(s);
    return s;
  }

  /** Dial-backs attempted since start (a victim's view of amplification, in tests and logs). */
  public long dialBacks() {
    return dialBacks.get();
  }

  // ---- v2 ----

  private void onV2Request(Stream stream) {
    Connection c = stream.connection();
    V2ServerExchange ex = new V2ServerExchange(c.remotePeer(), c.remoteAddress(), policy, limiter, config);
    MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, config.exchangeTimeoutMillis(), scheduler, new MessageStream.Listener() {
      @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
        V2Message m = V2Codec.decode(body);
        scheduler.execute(() -> act(ms, ex, ex.onMessage(m, scheduler.nowMillis())));
      }

      @Override public void onFailed(Throwable cause) {
        LOG.debug("autonat v2 request from {} ended: {}", c.remotePeer(), cause.toString());
        scheduler.execute(ex::close);
      }
    });
  }

  /** Runs on the scheduler. */
  private void act(MessageStream ms, V2ServerExchange ex, V2ServerExchange.Action action) {
    switch (action) {
      case V2ServerExchange.Action.Reply r -> {
        ms.send(V2Codec.encode(r.response()));
        ms.finish();
        ex.close();
      }
      case V2ServerExchange.Action.AskDialData a -> ms.send(V2Codec.encode(a.request()));
      case V2ServerExchange.Action.DialBack d -> dialBackV2(d.address(), ms.stream().remotePeer(), d.nonce())
          .thenAccept(status -> scheduler.execute(() -> act(ms, ex, ex.onDialOutcome(status))));
      case V2ServerExchange.Action.Wait w -> { }
      case V2ServerExchange.Action.Violation v -> {
        LOG.debug("autonat v2: {} broke the protocol: {}", ms.stream().remotePeer(), v.reason());
        ms.abort();
        ex.close();
      }
    }
  }

  /** Never fails: the outcome is the dial status to report. */
  private CompletableFuture<V2Message.DialStatus> dialBackV2(Multiaddr address, PeerId peer, long nonce) {
    CompletableFuture<V2Message.DialStatus> out = new CompletableFuture<>();
    freshConnection(address, peer).whenComplete((conn, e) -> {
      if (e != null) {
        out.complete(V2Message.DialStatus.E_DIAL_ERROR);
        return;
      }
      conn.newStream(List.of(AutonatProtocol.V2_DIAL_BACK)).thenCompose(s -> {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        MessageStream.attach(s, AutonatLimits.MAX_MESSAGE_BYTES, config.dialTimeoutMillis(), scheduler, new MessageStream.Listener() {
          @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
            V2Codec.decodeDialBackResponse(body);
            ms.finish();
            acked.complete(null);
          }

          @Override public void onFailed(Throwable cause) {
            acked.completeExceptionally(cause);
          }
        }).send(V2Codec.encodeDialBack(nonce));
        return acked;
      }).whenComplete((v, e2) -> {
        out.complete(e2 == null ? V2Message.DialStatus.OK : V2Message.DialStatus.E_DIAL_BACK_ERROR);
        conn.close();
      });
    });
    return out;
  }

  // ---- v1 ----

  private void onV1Request(Stream stream) {
    Connection c = stream.connection();
    MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, config.exchangeTimeoutMillis(), scheduler, new MessageStream.Listener() {
      private boolean admitted;
      private boolean seen;

      @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
        if (seen) throw new ProtocolViolationException("a second message on an autonat v1 stream");
        seen = true;
        if (!(V1Codec.decode(body) instanceof V1Message.Dial dial)) throw new ProtocolViolationException("expected a Dial message");
        scheduler.execute(() -> {
          if (limiter.tryAcquire(c.remotePeer(), scheduler.nowMillis()) != RequestLimiter.Admission.ADMITTED) {
            respondV1(ms, new V1Message.DialResponse(V1Message.Status.E_DIAL_REFUSED, "rate limited", null));
            return;
          }
          admitted = true;
          switch (V1ServerPlan.plan(dial, c.remotePeer(), c.remoteAddress(), policy, config.protectAgainstAmplification())) {
            case V1ServerPlan.Plan.Respond r -> done(ms, r.response());
            case V1ServerPlan.Plan.DialInTurn d -> dialInTurn(d.addresses(), 0, c.remotePeer()).thenAccept(resp -> scheduler.execute(() -> done(ms, resp)));
          }
        });
      }

      private void done(MessageStream ms, V1Message.DialResponse r) {
        respondV1(ms, r);
        if (admitted) {
          admitted = false;
          limiter.release(c.remotePeer());
        }
      }

      @Override public void onFailed(Throwable cause) {
        LOG.debug("autonat v1 request from {} ended: {}", c.remotePeer(), cause.toString());
        scheduler.execute(() -> {
          if (admitted) {
            admitted = false;
            limiter.release(c.remotePeer());
          }
        });
      }
    });
  }

  private static void respondV1(MessageStream ms, V1Message.DialResponse r) {
    ms.send(V1Codec.encode(r));
    ms.finish();
  }

  private CompletableFuture<V1Message.DialResponse> dialInTurn(List<Multiaddr> addrs, int i, PeerId peer) {
    if (i >= addrs.size()) return CompletableFuture.completedFuture(new V1Message.DialResponse(V1Message.Status.E_DIAL_ERROR, "all dials failed", null));
    return freshConnection(addrs.get(i), peer).handle((conn, e) -> {
      if (e != null) return dialInTurn(addrs, i + 1, peer);
      conn.close();
      return CompletableFuture.completedFuture(new V1Message.DialResponse(V1Message.Status.OK, null, addrs.get(i)));
    }).thenCompose(f -> f);
  }

  // ---- shared ----

  /** A new connection to {@code peer} at {@code address}, within the dial timeout; a late one is closed. */
  private CompletableFuture<Connection> freshConnection(Multiaddr address, PeerId peer) {
    dialBacks.incrementAndGet();
    CompletableFuture<Connection> dial = host.dialBack(address.withPeerId(peer));
    CompletableFuture<Connection> timed = dial.copy().orTimeout(config.dialTimeoutMillis(), TimeUnit.MILLISECONDS);
    timed.whenComplete((c, e) -> {
      if (e != null) dial.thenAccept(Connection::close);
    });
    return timed;
  }

  @Override public void close() {
    host.removeStreamHandler(AutonatProtocol.V2_DIAL_REQUEST);
    host.removeStreamHandler(AutonatProtocol.V1_ID);
  }
}
