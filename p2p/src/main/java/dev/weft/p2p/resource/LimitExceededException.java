package dev.weft.p2p.resource;

/** A reservation was refused: the message names the limit, its value and who hit it. */
public final class LimitExceededException extends Exception {
  public LimitExceededException(String message) {
    super(message);
  }
}
