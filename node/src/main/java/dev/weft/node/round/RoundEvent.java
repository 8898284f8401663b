package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;

/** What happened, as told to {@link RoundMachine#on}. */
public sealed interface RoundEvent {
  /** A frame arrived from a peer (undecoded: the machine decodes and checks it). */
  record Received(PeerKey from, byte[] frame) implements RoundEvent {}

  /**
   * A blob is now held locally, verified against its CID; {@code invalidReason} non-null if it did
   * not decode. That judgement bans the contributor once the blob is sealed, so it must be a pure
   * function of the blob's bytes and the run's fixed parameters (codec, dimension): the decode the
   * apply step uses, never a local limit or a timeout.
   */
  record BlobHeld(Digest cid, String invalidReason) implements RoundEvent {}

  /** No source could deliver the blob. */
  record FetchFailed(Digest cid) implements RoundEvent {}

  record TimerFired(TimerId id) implements RoundEvent {}

  /** Our own training for {@code round} finished and its blob is stored under {@code cid}. */
  record TrainingFinished(long round, Digest baseRoot, Digest cid, long size, double norm, long tokens) implements RoundEvent {}

  /** The root the host computed for applying {@code valueHash} in {@code round}. */
  record RootComputed(long round, Digest valueHash, Digest root) implements RoundEvent {}
}
