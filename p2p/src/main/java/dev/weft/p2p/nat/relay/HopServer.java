package dev.weft.p2p.nat.relay;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.protocol.io.DiscardingHandler;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of circuit relay v2 (circuit-v2.md, hop protocol) as a host service: answers
 * {@code /libp2p/circuit/relay/0.2.0/hop}.
 *
 * <pre>
 *   hop stream --read one HopMessage (size limit, deadline)--+
 *     RESERVE --book: reserved--> STATUS OK {expire, our addrs, signed voucher, limit}, close
 *             --book: refused---> STATUS RESERVATION_REFUSED / PERMISSION_DENIED, close
 *     CONNECT --book: no slot---> STATUS NO_RESERVATION / RESOURCE_LIMIT_EXCEEDED, close
 *             --circuit opened--> stop stream to target: CONNECT {source, limit}
 *                  target OK ----> STATUS OK {limit} to source, splice the two streams (budget)
 *                  otherwise ----> STATUS CONNECTION_FAILED, close both
 *     STATUS, or undecodable ---> STATUS UNEXPECTED_MESSAGE / MALFORMED_MESSAGE, close
 * </pre>
 *
 * Decisions live in the pure {@link ReservationBook}, confined to the host scheduler; stream
 * callbacks only hop onto it. Every answer that is not a circuit ends the stream: we half-close,
 * and reset it if the peer has not closed its side within the message timeout. A reservation
 * ends with its TTL or with the peer's last connection to us.
 */
public final class HopServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HopServer.class);

  private final ServiceContext context;
  private final Host host;
  private final Scheduler scheduler;
  private final RelayConfig config;
  private final ReservationBook book;
  private final AutoCloseable subscription;
  private final AtomicLong refusedReservations = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  private HopServer(ServiceContext context, RelayConfig config) {
    this.context = context;
    this.host = context.host();
    this.scheduler = context.scheduler();
    this.config = config;
    this.book = new ReservationBook(config);
    host.setStreamHandler(RelayProtocol.HOP, this::onHopStream);
    this.subscription = context.subscribe(e -> {
      if (e instanceof HostEvent.PeerDisconnected d && directConnections(d.connection().remotePeer()).isEmpty()) {
        book.disconnected(d.connection().remotePeer());
      }
    });
  }

  /** A relay with {@code config}'s limits. */
  public static ServiceFactory<HopServer> factory(RelayConfig config) {
    return context -> new HopServer(context, config);
  }

  private void onHopStream(Stream stream) {
    HeaderReader.read(stream, RelayCodec.MAX_MESSAGE_BYTES, config.messageTimeoutMillis(), scheduler, new HeaderReader.Listener() {
      @Override public void onMessage(Stream s, byte[] body, ByteBuf rest) {
        RelayMessage m;
        try {
          m = RelayCodec.decodeHop(body);
        } catch (ProtocolViolationException e) {
          if (rest != null) rest.release();
          malformed.incrementAndGet();
          LOG.debug("malformed hop message from {}: {}", s.remotePeer(), e.getMessage());
          answerAndClose(s, RelayMessage.Status.MALFORMED_MESSAGE);
          return;
        }
        scheduler.execute(() -> onHop(s, m, rest));
      }

      @Override public void onFailed(Stream s, Throwable cause) {
        LOG.debug("no hop message from {}: {}", s.remotePeer(), cause.toString());
        if (cause instanceof ProtocolViolationException || cause instanceof dev.weft.p2p.protocol.io.MessageTooLargeException) {
          malformed.incrementAndGet();
          answerAndClose(s, RelayMessage.Status.MALFORMED_MESSAGE);
        } else {
          s.reset();
        }
      }
    });
  }

  /** On the scheduler. */
  private void onHop(Stream s, RelayMessage m, ByteBuf rest) {
    switch (m) {
      case RelayMessage.HopReserve r -> {
        if (rest != null) rest.release();
        reserve(s);
      }
      case RelayMessage.HopConnect c -> connect(s, c.peer().id(), rest);
      default -> {
        if (rest != null) rest.release();
        answerAndClose(s, RelayMessage.Status.UNEXPECTED_MESSAGE);
      }
    }
  }

  private void reserve(Stream s) {
    PeerId peer = s.remotePeer();
    long wallSeconds = context.wallClockMillis() / 1000;
    ReservationBook.Outcome o = book.reserve(peer, s.connection().remoteAddress(), scheduler.nowMillis(), wallSeconds);
    if (o instanceof ReservationBook.Outcome.Reserved r) {
      byte[] voucher = new ReservationVoucher(host.peerId(), peer, r.expireUnixSeconds()).seal(host.privateKey());
      RelayMessage.Reservation rsvp = new RelayMessage.Reservation(r.expireUnixSeconds(), ourAddresses(), voucher);
      LOG.debug("reserved a slot for {} until {}", peer, r.expireUnixSeconds());
      send(s, new RelayMessage.HopStatus(RelayMessage.Status.OK, rsvp, r.limit()));
      closeAnswered(s);
      return;
    }
    ReservationBook.Outcome.Refused no = (ReservationBook.Outcome.Refused) o;
    refusedReservations.incrementAndGet();
    LOG.debug("refused a reservation of {}: {}", peer, no.reason());
    answerAndClose(s, no.status());
  }

  private void connect(Stream s, PeerId target, ByteBuf rest) {
    PeerId source = s.remotePeer();
    ReservationBook.Outcome o = book.connect(source, s.connection().remoteAddress(), target, scheduler.nowMillis());
    if (!(o instanceof ReservationBook.Outcome.CircuitOpened opened)) {
      if (rest != null) rest.release();
      ReservationBook.Outcome.Refused no = (ReservationBook.Outcome.Refused) o;
      LOG.debug("refused a circuit {} -> {}: {}", source, target, no.reason());
      answerAndClose(s, no.status());
      return;
    }
    List<Connection> toTarget = directConnections(target);
    if (toTarget.isEmpty()) {
      if (rest != null) rest.release();
      book.circuitClosed(opened.circuitId());
      answerAndClose(s, RelayMessage.Status.CONNECTION_FAILED);
      return;
    }
    // If anything fails from here on, the slot is freed once and the source told CONNECTION_FAILED.
    Runnable failed = () -> scheduler.execute(() -> {
      book.circuitClosed(opened.circuitId());
      if (rest != null) rest.release();
      answerAndClose(s, RelayMessage.Status.CONNECTION_FAILED);
    });
    CompletableFuture<Stream> stop = toTarget.get(0).newStream(List.of(RelayProtocol.STOP));
    Cancellable openDeadline = scheduler.schedule(config.messageTimeoutMillis(), () -> stop.cancel(false));
    stop.whenComplete((d, e) -> {
      openDeadline.cancel();
      if (e != null) {
        LOG.debug("no stop stream to {}: {}", target, e.toString());
        failed.run();
        return;
      }
      send(d, new RelayMessage.StopConnect(new RelayMessage.Peer(source, List.of()), opened.limit()));
      HeaderReader.read(d, RelayCodec.MAX_MESSAGE_BYTES, config.messageTimeoutMillis(), scheduler, new HeaderReader.Listener() {
        @Override public void onMessage(Stream dst, byte[] body, ByteBuf dstRest) {
          RelayMessage answer;
          try {
            answer = RelayCodec.decodeStop(body);
          } catch (ProtocolViolationException ex) {
            answer = null;
          }
          if (!(answer instanceof RelayMessage.StopStatus st) || st.status() != RelayMessage.Status.OK) {
            LOG.debug("{} declined a circuit from {}: {}", target, source, answer);
            if (dstRest != null) dstRest.release();
            dst.reset();
            failed.run();
            return;
          }
          send(s, new RelayMessage.HopStatus(RelayMessage.Status.OK, null, opened.limit()));
          CircuitSplice.start(s, rest, dst, dstRest, new CircuitBudget(opened.limit(), scheduler.nowMillis()), scheduler,
              () -> scheduler.execute(() -> book.circuitClosed(opened.circuitId())));
        }

        @Override public void onFailed(Stream dst, Throwable cause) {
          LOG.debug("no stop answer from {}: {}", target, cause.toString());
          dst.reset();
          failed.run();
        }
      });
    });
  }

  /** Our public-facing addresses, each with /p2p/us, for the reserving peer to build circuit addresses from. */
  private List<Multiaddr> ourAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.advertisedAddresses()) {
      if (a.has(Protocol.P2P_CIRCUIT) || a.isUnspecified()) continue;
      out.add(a.withPeerId(host.peerId()));
      if (out.size() == RelayCodec.MAX_ADDRS) break;
    }
    return out;
  }

  private List<Connection> directConnections(PeerId peer) {
    return host.connections(peer).stream().filter(c -> !c.isLimited()).toList();
  }

  private static void send(Stream s, RelayMessage m) {
    byte[] body = m instanceof RelayMessage.StopConnect || m instanceof RelayMessage.StopStatus ? RelayCodec.encodeStop(m) : RelayCodec.encodeHop(m);
    s.write(HeaderReader.frame(body));
  }

  private void answerAndClose(Stream s, RelayMessage.Status status) {
    send(s, new RelayMessage.HopStatus(status, null, null));
    closeAnswered(s);
  }

  /** Half-closes an answered stream; resets it if the peer keeps its side open past the timeout. */
  private void closeAnswered(Stream s) {
    s.closeWrite();
    s.setHandler(new DiscardingHandler());
    Cancellable t = scheduler.schedule(config.messageTimeoutMillis(), s::reset);
    s.closeFuture().whenComplete((v, e) -> t.cancel());
  }

  /** Reservations held now. */
  public int reservations() {
    return callOnScheduler(() -> book.reservations(scheduler.nowMillis()));
  }

  /** Circuits open now. */
  public int circuits() {
    return callOnScheduler(book::circuits);
  }

  /** Reservations refused since start (over a limit, or over a relayed connection). */
  public long refusedReservations() {
    return refusedReservations.get();
  }

  /** Hop streams that carried no decodable message. */
  public long malformedMessages() {
    return malformed.get();
  }

  public RelayConfig config() {
    return config;
  }

  private <T> T callOnScheduler(java.util.function.Supplier<T> f) {
    CompletableFuture<T> r = new CompletableFuture<>();
    scheduler.execute(() -> r.complete(f.get()));
    return r.join();
  }

  @Override public void close() throws Exception {
    host.removeStreamHandler(RelayProtocol.HOP);
    subscription.close();
  }
}
