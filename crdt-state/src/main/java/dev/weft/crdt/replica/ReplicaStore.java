package dev.weft.crdt.replica;

import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.type.Crdt;
import dev.weft.p2p.api.PeerId;
import java.util.List;
import java.util.Map;

/**
 * Where a replica keeps its state and delta log. Each call is one atomic write: a delta is on
 * disk, with the state it produced, before the replica acknowledges it. {@link #NONE} keeps nothing.
 */
public interface ReplicaStore extends AutoCloseable {
  /** Persists an accepted delta, the key's new value (null when unchanged) and the writer's covered prefix. */
  void accepted(SignedDelta delta, Crdt newValue, long writerContiguous);

  /** Records a writer's covered prefix raised by a peer's claim. */
  void covered(PeerId writer, long contiguous);

  /** Replaces the whole state (after excluding an equivocator), recording the evidence. */
  void rebuilt(Map<String, Crdt> state, Equivocation evidence);

  /** Deletes compacted deltas. */
  void compacted(List<SignedDelta> dropped);

  Snapshot load();

  @Override void close();

  /** What a store held at start. */
  record Snapshot(List<SignedDelta> deltas, Map<String, Crdt> state, Map<PeerId, Long> contiguous, List<Equivocation> evidence) {
    public static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), Map.of(), List.of());
  }

  ReplicaStore NONE = new ReplicaStore() {
    @Override public void accepted(SignedDelta delta, Crdt newValue, long writerContiguous) {}

    @Override public void rebuilt(Map<String, Crdt> state, Equivocation evidence) {}

    @Override public void compacted(List<SignedDelta> dropped) {}

    @Override public void covered(PeerId writer, long contiguous) {}

    @Override public Snapshot load() {
      return Snapshot.EMPTY;
    }

    @Override public void close() {}
  };
}
