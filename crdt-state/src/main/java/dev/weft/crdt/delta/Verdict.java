package dev.weft.crdt.delta;

import dev.weft.p2p.pubsub.ValidationResult;

/** What a replica made of a delta, and what gossipsub is told. */
public record Verdict(Kind kind, String reason) {
  /** The outcomes. */
  public enum Kind {
    /** Valid and new: merged, to be forwarded. */
    ACCEPT,
    /** Already held: nothing to do, not forwarded, nobody blamed. */
    DUPLICATE,
    /** Invalid (signature, ACL, size, form, clock, equivocation): dropped, never forwarded, the sender penalised. */
    REJECT,
    /** Not judged (we are overloaded, or it is too far ahead of what we hold): dropped, nobody blamed. */
    IGNORE
  }

  public static final Verdict ACCEPTED = new Verdict(Kind.ACCEPT, "ok");
  public static final Verdict DUPLICATE = new Verdict(Kind.DUPLICATE, "already held");

  public static Verdict reject(String reason) {
    return new Verdict(Kind.REJECT, reason);
  }

  public static Verdict ignore(String reason) {
    return new Verdict(Kind.IGNORE, reason);
  }

  public boolean accepted() {
    return kind == Kind.ACCEPT;
  }

  public ValidationResult toGossip() {
    return switch (kind) {
      case ACCEPT -> ValidationResult.ACCEPT;
      case REJECT -> ValidationResult.REJECT;
      case DUPLICATE, IGNORE -> ValidationResult.IGNORE;
    };
  }
}
