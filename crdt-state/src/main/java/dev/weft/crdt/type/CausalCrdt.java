package dev.weft.crdt.type;

/** The causal CRDTs: one {@link Causal} state each, wrapped in a typed facade. */
public sealed interface CausalCrdt extends Crdt permits MVRegister, ORSet, ORMap {
  Causal causal();

  @Override default boolean authoredBy(String replica) {
    return causal().store().allDotsBy(replica);
  }

  /** Bottom is an empty store with an empty context: a delta that removes something is not bottom. */
  @Override default boolean isBottom() {
    return causal().store().isBottom() && causal().context().isEmpty();
  }
}
