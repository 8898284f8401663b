package dev.weft.p2p.multistream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The multistream-select 1.0 state machine for one side of one channel, without I/O: it is told
 * each message the remote sent and answers what to send back and whether a protocol was agreed.
 *
 * <pre>
 *  initiator:  start: send [header, p1]      responder:  start: send [header]
 *     AWAIT_HEADER --header--> AWAIT_ANSWER     AWAIT_HEADER --header--> AWAIT_PROPOSAL
 *     AWAIT_ANSWER --echo pi--> DONE(pi)         AWAIT_PROPOSAL --supported p--> send [p], DONE(p)
 *     AWAIT_ANSWER --na--> send [p(i+1)] or FAILED  AWAIT_PROPOSAL --other--> send [na] (bounded)
 * </pre>
 *
 * The initiator pipelines its first proposal with the header (as js-libp2p does), and the
 * responder accepts a pipelined proposal. Any other message order fails the negotiation. Not
 * thread-safe: drive it from the channel's thread.
 */
public final class MultistreamNegotiation {
  /**
   * How many unsupported proposals (or {@code ls} requests) a responder answers before giving up:
   * a peer with a long preference list is legitimate, an endless one is not.
   */
  public static final int MAX_REJECTED_PROPOSALS = 32;

  /** What to send after a message, and the agreed protocol or the failure once there is one. */
  public record Step(List<String> send, String selected, String failure) {
    static Step reply(List<String> send) {
      return new Step(send, null, null);
    }

    static Step fail(String failure) {
      return new Step(List.of(), null, failure);
    }

    public boolean done() {
      return selected != null || failure != null;
    }
  }

  private enum State { AWAIT_HEADER, NEGOTIATING, DONE }

  private final List<String> proposals;
  private final Predicate<String> supported;
  private State state = State.AWAIT_HEADER;
  private int next;
  private int rejected;

  private MultistreamNegotiation(List<String> proposals, Predicate<String> supported) {
    this.proposals = proposals;
    this.supported = supported;
  }

  /** The side that proposes {@code protocols}, in order of preference. */
  public static MultistreamNegotiation initiator(List<String> protocols) {
    if (protocols.isEmpty()) throw new IllegalArgumentException("no protocols to propose");
    return new MultistreamNegotiation(List.copyOf(protocols), null);
  }

  /** The side that accepts the first proposal {@code supported} says yes to. */
  public static MultistreamNegotiation responder(Predicate<String> supported) {
    return new MultistreamNegotiation(null, Objects.requireNonNull(supported));
  }

  public boolean isInitiator() {
    return proposals != null;
  }

  /** The messages to send as soon as the channel is open. */
  public List<String> start() {
    if (isInitiator()) return List.of(MultistreamCodec.PROTOCOL_ID, proposals.get(next));
    return List.of(MultistreamCodec.PROTOCOL_ID);
  }

  /** Feeds one message received from the remote. */
  public Step onMessage(String message) {
    switch (state) {
      case AWAIT_HEADER -> {
        if (!MultistreamCodec.PROTOCOL_ID.equals(message)) {
          state = State.DONE;
          return Step.fail("expected " + MultistreamCodec.PROTOCOL_ID + " header, got " + quote(message));
        }
        state = State.NEGOTIATING;
        return Step.reply(List.of());
      }
      case NEGOTIATING -> {
        return isInitiator() ? onAnswer(message) : onProposal(message);
      }
      default -> throw new IllegalStateException("negotiation already finished");
    }
  }

  private Step onAnswer(String message) {
    String proposed = proposals.get(next);
    if (message.equals(proposed)) {
      state = State.DONE;
      return new Step(List.of(), proposed, null);
    }
    if (!message.equals(MultistreamCodec.NA)) {
      state = State.DONE;
      return Step.fail("proposed " + quote(proposed) + ", remote answered " + quote(message));
    }
    next++;
    if (next == proposals.size()) {
      state = State.DONE;
      return Step.fail("remote supports none of " + proposals);
    }
    return Step.reply(List.of(proposals.get(next)));
  }

  private Step onProposal(String message) {
    if (!message.equals(MultistreamCodec.LS) && !message.equals(MultistreamCodec.NA) && supported.test(message)) {
      state = State.DONE;
      return new Step(List.of(message), message, null);
    }
    if (++rejected > MAX_REJECTED_PROPOSALS) {
      state = State.DONE;
      return Step.fail("more than " + MAX_REJECTED_PROPOSALS + " unsupported proposals");
    }
    return Step.reply(List.of(MultistreamCodec.NA));
  }

  private static String quote(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
  }

  /** For tests and logs. */
  @Override public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add(isInitiator() ? "initiator" : "responder");
    parts.add(state.name());
    return "MultistreamNegotiation" + parts;
  }
}
