package dev.weft.node.runtime;

import dev.weft.node.runtime.RoundMessage.SealEntry;
import java.util.List;

/** What a {@link RoundDriver} asks its runtime to do. */
public sealed interface RoundAction {
  /** Send {@code message} on the run's round topic. */
  record Publish(RoundMessage message) implements RoundAction {}

  /** Call {@link RoundDriver#timerFired} at (or after) {@code atMillis} on the runtime's clock; replaces any earlier timer. */
  record SetTimer(long atMillis) implements RoundAction {}

  /**
   * The round is fixed: aggregate exactly {@code set} (every blob in it is held), apply the outer
   * step, then call {@link RoundDriver#start} for the next round. An empty set is a null round.
   */
  record Apply(long round, List<SealEntry> set, String sealedBy) implements RoundAction {}

  /** This node cannot finish the round from what it holds: fetch a checkpoint from peers. */
  record Resync(String why) implements RoundAction {}

  /** A plain-language status line for the volunteer ("waiting for 3 more contributions"). */
  record Status(String line) implements RoundAction {}
}
