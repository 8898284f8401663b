package dev.weft.crdt.replica;

import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.type.Crdt;

/** Told of every change to a replica's state, on the replica's thread (don't block). */
@FunctionalInterface
public interface StateListener {
  /** {@code key} now holds {@code value}; {@code cause} is the delta merged, or null after a rebuild. */
  void onChange(String key, Crdt value, SignedDelta cause);
}
