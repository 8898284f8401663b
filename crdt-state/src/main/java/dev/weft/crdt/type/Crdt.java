package dev.weft.crdt.type;

/**
 * A state-based CRDT value: immutable, with a join ({@link #merge}) that is commutative,
 * associative and idempotent. Deltas are values of the same type (a delta is a small state), so
 * applying a delta is merging it. Mutators live on each type and return a {@link Mutation}.
 *
 * <p>Merging values of different types is a programming error (the schema fixes each key's type)
 * and throws {@link IllegalArgumentException}.
 */
public sealed interface Crdt permits GCounter, PNCounter, LwwRegister, CausalCrdt {
  CrdtType type();

  Crdt merge(Crdt other);

  /**
   * Whether every piece of information this value (read as a delta) adds could only have been
   * written by {@code replica}: counter entries and dots of that replica, a register stamped by it.
   * Removals (dots in a context) are not attributed: observing and removing others' writes is what
   * an observed-remove CRDT is for.
   */
  boolean authoredBy(String replica);

  boolean isBottom();

  /** Fails unless {@code other} has this value's type. */
  default <T extends Crdt> T sameType(Crdt other, Class<T> cls) {
    if (!type().equals(other.type())) throw new IllegalArgumentException("merging " + type() + " with " + other.type());
    return cls.cast(other);
  }
}
