package dev.weft.node.runtime;

import dev.weft.p2p.api.PeerId;
import java.util.List;
import java.util.Set;

/**
 * The round protocol as the runtime sees it: told what happened, asked what to do. Implementations
 * do no I/O and read no clock (time comes in as {@code nowMillis}), so they run the same in a
 * simulation and on the network. All calls come from one thread.
 *
 * <p>Two implementations are meant to plug in here: {@link LeaderSealDriver} (the stand-in in use
 * now, not Byzantine fault tolerant) and the BFT {@code RoundMachine} of {@code node/round}.
 */
public interface RoundDriver {
  /** The round this driver is in. */
  long round();

  /** We hold θ for {@code round} (bit-identical to every honest peer's) and start training on it. */
  List<RoundAction> start(long round, long nowMillis);

  /** Our own contribution for the current round is published and held. */
  List<RoundAction> contributionReady(RoundMessage.Contribution own, long nowMillis);

  /** A message from {@code from} (already authenticated and decoded). */
  List<RoundAction> onMessage(PeerId from, RoundMessage message, long nowMillis);

  /** The blob of {@code peer}'s contribution to {@code round} is held locally. */
  List<RoundAction> blobHeld(long round, PeerId peer, RoundMessage.Digest digest, long nowMillis);

  /** The timer asked for by the last {@link RoundAction.SetTimer} is due. */
  List<RoundAction> timerFired(long nowMillis);

  /** The live members of the run (joined and connected, ourselves included) changed. */
  List<RoundAction> membersChanged(Set<PeerId> live, long nowMillis);
}
