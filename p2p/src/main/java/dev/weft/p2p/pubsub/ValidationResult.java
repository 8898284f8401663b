package dev.weft.p2p.pubsub;

/** An extended validator's verdict (gossipsub v1.1, "Extended Validators"). */
public enum ValidationResult {
  /** Valid: deliver and forward. */
  ACCEPT,
  /** Invalid: drop, and penalise the peers that sent it (P₄). */
  REJECT,
  /** Neither delivered nor forwarded, and nobody is penalised (e.g. we are overloaded or not synced). */
  IGNORE
}
