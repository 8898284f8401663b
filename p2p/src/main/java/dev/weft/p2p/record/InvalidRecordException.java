package dev.weft.p2p.record;

/** A signed envelope or peer record that must be discarded, with the reason. */
public final class InvalidRecordException extends Exception {
  public InvalidRecordException(String message) {
    super(message);
  }
}
