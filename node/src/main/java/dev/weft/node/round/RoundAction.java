package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import java.util.List;

/** What the machine asks its host to do, in order. */
public sealed interface RoundAction {
  /** Send one signed message to each of {@code to}. */
  record Send(List<PeerKey> to, Signed message) implements RoundAction {}

  /** Fetch a blob from any of {@code sources} (tried in order); answer BlobHeld or FetchFailed. */
  record Fetch(long round, Digest cid, List<PeerKey> sources) implements RoundAction {}

  record StartTimer(TimerId id, long delayMillis) implements RoundAction {}

  /** Train {@code round} from the state with {@code baseRoot}; finish within {@code budgetMillis} (fewer inner steps if needed). */
  record Train(long round, Digest baseRoot, long budgetMillis) implements RoundAction {}

  /**
   * Compute the state after applying {@code contributions} (sorted by contributor) to the state
   * certified for the start of {@code round}; answer RootComputed.
   */
  record Compute(long round, Digest valueHash, List<Signed> contributions) implements RoundAction {}

  /** Store the certificate durably before applying it (a restart replays it). */
  record Persist(long round, Signed certificate) implements RoundAction {}

  /** Make the computed state for {@code valueHash} (whose root equals {@code root}) the current one. */
  record Apply(long round, Digest valueHash, Digest root) implements RoundAction {}

  /** Our computed root differs from the certified one: fetch the certified state from {@code sources}. */
  record Repair(long round, Digest certifiedRoot, List<PeerKey> sources) implements RoundAction {}

  /** A peer sent a message that fails the codec or the protocol's rules: score it down or drop it. */
  record Misbehaved(PeerKey peer, String reason) implements RoundAction {}

  /** Something only more than f Byzantine voters (or broken determinism) can cause; the machine has halted. */
  record Alarm(long round, String reason) implements RoundAction {}
}
