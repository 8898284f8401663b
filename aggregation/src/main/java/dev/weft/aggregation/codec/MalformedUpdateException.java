package dev.weft.aggregation.codec;

/** Encoded bytes from a peer were not a valid update: the peer misbehaved (or the data rotted). */
public final class MalformedUpdateException extends Exception {
  public MalformedUpdateException(String message) {
    super(message);
  }
}
