package dev.weft.node.round.msg;

/** A message that must be rejected: malformed, oversized, badly signed or for another run. The sender misbehaved. */
public final class RoundMessageException extends Exception {
  public RoundMessageException(String message) {
    super(message);
  }

  public RoundMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
