package dev.weft.node.runtime;

/** A round message that is malformed or over a limit; the sender is at fault. */
public final class RoundWireException extends Exception {
  public RoundWireException(String message) {
    super(message);
  }
}
