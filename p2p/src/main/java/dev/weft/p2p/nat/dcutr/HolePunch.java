package dev.weft.p2p.nat.dcutr;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The DCUtR exchange (DCUtR.md, "The Protocol") as an I/O-free state machine: told what arrived
 * and when (monotonic nanoseconds), it answers with what to do. One machine per upgrade attempt
 * chain and per side; not thread-safe (confine it to one scheduler).
 *
 * <p>Roles, with the spec's names: the <b>initiator</b> is B, the peer that <i>accepted</i> the
 * relayed connection; the <b>responder</b> is A, the peer that dialled it. For the direct TCP
 * connection A is the client and B the server.
 *
 * <pre>
 *   initiator (B):
 *     start ----------------------> OpenStream(attempt 1): send CONNECT(ours), RTT clock starts
 *     CONNECT(theirs) ------------> send SYNC; DialAfter(RTT/2, theirs)
 *     dial succeeded -------------> Succeeded(attempt, RTT)
 *     dial or stream failed ------> attempt < max ? OpenStream(attempt + 1) : Failed
 *   responder (A):
 *     CONNECT(theirs) ------------> send CONNECT(ours)
 *     SYNC -----------------------> Dial(theirs) now
 *     dial done ------------------> Succeeded / Failed (the initiator decides on retries)
 * </pre>
 *
 * A message that does not fit the state (SYNC before CONNECT, a second CONNECT) fails the
 * attempt. Addresses are filtered ({@link #dialable}) before they are sent and after they arrive.
 */
public final class HolePunch {
  /** What to do. */
  public sealed interface Action {
    /** Initiator: open a new {@code /libp2p/dcutr} stream and send CONNECT with {@code ours}. */
    record OpenStream(int attempt, List<Multiaddr> ours) implements Action {}

    /** Responder: answer CONNECT with CONNECT carrying {@code ours}. */
    record SendConnect(List<Multiaddr> ours) implements Action {}

    /** Initiator: send SYNC. */
    record SendSync() implements Action {}

    /** Dial {@code theirs} after {@code delayMillis} (0: now), as the TCP client ({@code client}) or server. */
    record Dial(long delayMillis, List<Multiaddr> theirs, boolean client) implements Action {}

    /** A direct connection formed; {@code rttMillis} is the relayed round trip measured (−1 on the responder). */
    record Succeeded(int attempts, double rttMillis) implements Action {}

    record Failed(int attempts, String reason) implements Action {}
  }

  private enum State { IDLE, CONNECT_SENT, SYNC_SENT, AWAIT_SYNC, DIALLING, DONE }

  private final boolean initiator;
  private final List<Multiaddr> ours;
  private final int maxAttempts;
  private State state = State.IDLE;
  private int attempt;
  private long connectSentNanos;
  private double rttMillis = -1;
  private List<Multiaddr> theirs = List.of();

  private HolePunch(boolean initiator, List<Multiaddr> ours, int maxAttempts) {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
    this.initiator = initiator;
    this.ours = dialable(ours);
    this.maxAttempts = maxAttempts;
  }

  /** B's side; the spec's "retry twice (thus a total of 3 attempts)" is {@code maxAttempts} 3. */
  public static HolePunch initiator(List<Multiaddr> ours, int maxAttempts) {
    return new HolePunch(true, ours, maxAttempts);
  }

  /** A's side. */
  public static HolePunch responder(List<Multiaddr> ours) {
    return new HolePunch(false, ours, 1);
  }

  /** Initiator: begins the first attempt. */
  public Action start() {
    require(initiator && state == State.IDLE, "start");
    return nextAttempt(null);
  }

  /** Initiator: the attempt's stream is open and CONNECT was handed to it, at {@code nowNanos}. */
  public void connectSent(long nowNanos) {
    require(initiator && state == State.CONNECT_SENT, "connectSent");
    connectSentNanos = nowNanos;
  }

  /** The peer's CONNECT arrived at {@code nowNanos}. */
  public List<Action> onConnect(List<Multiaddr> addrs, long nowNanos) {
    if (state == State.DONE) return List.of();
    if (initiator && state == State.CONNECT_SENT) {
      theirs = dialable(addrs);
      rttMillis = (nowNanos - connectSentNanos) / 1e6;
      if (theirs.isEmpty()) return List.of(failedAttempt("no dialable address in the peer's CONNECT"));
      state = State.DIALLING;
      // The SYNC reaches A after half a round trip; B dials after the same time, so both SYNs leave together.
      return List.of(new Action.SendSync(), new Action.Dial(Math.round(rttMillis / 2), theirs, false));
    }
    if (!initiator && state == State.IDLE) {
      theirs = dialable(addrs);
      state = State.AWAIT_SYNC;
      return List.of(new Action.SendConnect(ours));
    }
    return List.of(failedAttempt("unexpected CONNECT in state " + state));
  }

  /** Responder: SYNC arrived: dial now. */
  public List<Action> onSync() {
    if (state == State.DONE) return List.of();
    if (initiator || state != State.AWAIT_SYNC) return List.of(failedAttempt("unexpected SYNC in state " + state));
    if (theirs.isEmpty()) return List.of(failedAttempt("no dialable address in the peer's CONNECT"));
    state = State.DIALLING;
    return List.of(new Action.Dial(0, theirs, true));
  }

  /** The direct dials of this attempt ended: {@code connected} if one formed (either side's). */
  public Action onDialed(boolean connected) {
    if (state == State.DONE) return null;
    if (connected) {
      state = State.DONE;
      return new Action.Succeeded(Math.max(1, attempt), rttMillis);
    }
    return failedAttempt("no direct connection formed");
  }

  /** The attempt's stream failed (reset, timed out, malformed message). */
  public Action onStreamFailed(String reason) {
    if (state == State.DONE) return null;
    // once dialling, the stream no longer matters: the dial's outcome decides
    if (state == State.DIALLING) return null;
    return failedAttempt(reason);
  }

  public boolean done() {
    return state == State.DONE;
  }

  private Action failedAttempt(String reason) {
    if (initiator && attempt < maxAttempts) return nextAttempt(reason);
    state = State.DONE;
    return new Action.Failed(Math.max(1, attempt), reason);
  }

  private Action nextAttempt(String previousFailure) {
    attempt++;
    state = State.CONNECT_SENT;
    theirs = List.of();
    return new Action.OpenStream(attempt, ours);
  }

  private static void require(boolean ok, String what) {
    if (!ok) throw new IllegalStateException(what + " not allowed here");
  }

  /**
   * What can be hole-punched: direct TCP addresses (no relay circuit, no unspecified address),
   * without a trailing peer id, deduplicated, at most {@link DcutrCodec#MAX_ADDRS}.
   */
  public static List<Multiaddr> dialable(List<Multiaddr> addrs) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addrs) {
      if (a.has(Protocol.P2P_CIRCUIT) || !a.has(Protocol.TCP) || a.isUnspecified()) continue;
      Multiaddr bare = a.withoutPeerId();
      if (!out.contains(bare)) out.add(bare);
      if (out.size() == DcutrCodec.MAX_ADDRS) break;
    }
    return List.copyOf(out);
  }
}
