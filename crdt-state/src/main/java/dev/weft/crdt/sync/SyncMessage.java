package dev.weft.crdt.sync;

import dev.weft.crdt.replica.ReplicaDigest;
import dev.weft.p2p.api.PeerId;
import java.util.List;
import java.util.Map;

/** The frames of {@code /weft/crdt-sync/1.0.0} (docs/crdt.md, "Anti-entropy"). */
public sealed interface SyncMessage {
  /** First frame each way: what the sender covers. */
  record Digest(ReplicaDigest digest) implements SyncMessage {}

  /** A chunk of encoded signed deltas the receiver lacks. */
  record Deltas(List<byte[]> deltas) implements SyncMessage {}

  /** The sender's live deltas (already sent) cover these writers through these seqs. */
  record Cover(Map<PeerId, Long> claims) implements SyncMessage {}

  /** The sender has sent everything for this session. */
  record Done() implements SyncMessage {}
}
