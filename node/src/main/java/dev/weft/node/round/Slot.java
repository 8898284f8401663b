package dev.weft.node.round;

/** Outcome of adding a signed message to a book that keeps one message per signer and slot. */
public enum Slot {
  NEW,
  DUPLICATE,
  /** A second, different message for the same slot: the pair is evidence. */
  CONFLICT
}
