package dev.weft.crdt.type;

/**
 * What a mutator returns: the new state, and the delta that, merged into any replica that has the
 * old state (or any state at all, for these delta CRDTs), brings the same change.
 */
public record Mutation<T extends Crdt>(T state, T delta) {}
