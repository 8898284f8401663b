package dev.weft.p2p.protocol.autonat.v2;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.AutonatServerConfig;
import dev.weft.p2p.protocol.autonat.DialPolicy;
import dev.weft.p2p.protocol.autonat.RequestLimiter;
import java.util.Optional;

/**
 * The server's side of one {@code /libp2p/autonat/2/dial-request} stream (autonat-v2.md), as a
 * state machine told what arrived and asked what to do; the adapter does the I/O.
 *
 * <pre>
 *   AWAIT_REQUEST --DialRequest--+-- rate limited / nothing dialable ---------> DONE (reply)
 *                                +-- first dialable address, requester's IP --> DIALING
 *                                +-- first dialable address, other IP ---------> AWAIT_DATA (ask for dial data)
 *   AWAIT_DATA --DialDataResponse*-- received >= asked ------------------------> DIALING
 *   DIALING --dial outcome---------------------------------------------------> DONE (reply OK + dial status)
 *   any state --unexpected message--> DONE (violation: reset)
 * </pre>
 *
 * The amplification rule: we dial exactly one address, and one whose IP is not the requester's
 * observed IP only after the requester has sent {@link AutonatServerConfig#dialDataBytes()} of
 * dial data (unless {@link AutonatServerConfig#protectAgainstAmplification()} is off). Not
 * thread-safe; {@link #close()} returns the admission to the limiter.
 */
public final class V2ServerExchange {
  public sealed interface Action {
    /** Send this response and finish the stream. */
    record Reply(V2Message.DialResponse response) implements Action {}

    /** Send this request for dial data and keep reading. */
    record AskDialData(V2Message.DialDataRequest request) implements Action {}

    /** Dial {@code address} on a fresh connection and send {@code nonce} on the dial-back stream. */
    record DialBack(int addrIdx, Multiaddr address, long nonce) implements Action {}

    /** Nothing to do until more arrives. */
    record Wait() implements Action {}

    /** The client broke the protocol: reset the stream. */
    record Violation(String reason) implements Action {}
  }

  enum State { AWAIT_REQUEST, AWAIT_DATA, DIALING, DONE }

  private final PeerId requester;
  private final Multiaddr observed;
  private final DialPolicy policy;
  private final RequestLimiter limiter;
  private final AutonatServerConfig config;
  private State state = State.AWAIT_REQUEST;
  private boolean admitted;
  private int addrIdx;
  private Multiaddr target;
  private long nonce;
  private long dataReceived;

  /** @param observed the remote address of the requester's connection (its observed IP) */
  public V2ServerExchange(PeerId requester, Multiaddr observed, DialPolicy policy, RequestLimiter limiter, AutonatServerConfig config) {
    this.requester = requester;
    this.observed = observed;
    this.policy = policy;
    this.limiter = limiter;
    this.config = config;
  }

  public Action onMessage(V2Message m, long nowMillis) {
    return switch (state) {
      case AWAIT_REQUEST -> m instanceof V2Message.DialRequest r ? onRequest(r, nowMillis) : violation("expected a dial request, got " + name(m));
      case AWAIT_DATA -> m instanceof V2Message.DialDataResponse d ? onData(d) : violation("expected dial data, got " + name(m));
      case DIALING -> violation("unexpected " + name(m) + " while dialling");
      case DONE -> new Action.Wait();
    };
  }

  private Action onRequest(V2Message.DialRequest r, long nowMillis) {
    RequestLimiter.Admission a = limiter.tryAcquire(requester, nowMillis);
    if (a != RequestLimiter.Admission.ADMITTED) return reply(V2Message.ResponseStatus.E_REQUEST_REJECTED, 0, V2Message.DialStatus.UNUSED);
    admitted = true;
    nonce = r.nonce();
    for (int i = 0; i < r.addrs().size(); i++) {
      Optional<Multiaddr> dialable = r.addrs().get(i).flatMap(policy::dialable);
      if (dialable.isEmpty()) continue;
      addrIdx = i;
      target = dialable.get();
      if (!config.protectAgainstAmplification() || DialPolicy.sameIp(target, observed)) return dial();
      if (!limiter.tryAcquireDialData(nowMillis)) return reply(V2Message.ResponseStatus.E_REQUEST_REJECTED, 0, V2Message.DialStatus.UNUSED);
      state = State.AWAIT_DATA;
      return new Action.AskDialData(new V2Message.DialDataRequest(i, config.dialDataBytes()));
    }
    return reply(V2Message.ResponseStatus.E_DIAL_REFUSED, 0, V2Message.DialStatus.UNUSED);
  }

  private Action onData(V2Message.DialDataResponse d) {
    dataReceived += d.dataBytes();
    return dataReceived >= config.dialDataBytes() ? dial() : new Action.Wait();
  }

  private Action dial() {
    state = State.DIALING;
    return new Action.DialBack(addrIdx, target, nonce);
  }

  /** The dial-back ended: {@code OK}, {@code E_DIAL_ERROR} (no connection) or {@code E_DIAL_BACK_ERROR} (no nonce delivered). */
  public Action onDialOutcome(V2Message.DialStatus outcome) {
    if (state == State.DONE) return new Action.Wait(); // the stream died while we dialled
    if (state != State.DIALING) throw new IllegalStateException("no dial in progress (state " + state + ")");
    return reply(V2Message.ResponseStatus.OK, addrIdx, outcome);
  }

  /** Dial data counted so far (for the amplification tests and logs). */
  public long dialDataReceived() {
    return dataReceived;
  }

  /** The exchange is over, however it ended: frees the requester's slot. Idempotent. */
  public void close() {
    state = State.DONE;
    if (admitted) {
      admitted = false;
      limiter.release(requester);
    }
  }

  private Action reply(V2Message.ResponseStatus status, int idx, V2Message.DialStatus dial) {
    state = State.DONE;
    return new Action.Reply(new V2Message.DialResponse(status, idx, dial));
  }

  private Action violation(String reason) {
    state = State.DONE;
    return new Action.Violation(reason);
  }

  private static String name(V2Message m) {
    return m.getClass().getSimpleName();
  }
}
