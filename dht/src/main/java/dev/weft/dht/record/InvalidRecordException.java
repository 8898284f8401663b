package dev.weft.dht.record;

/** A record a validator refused: the peer that sent it misbehaved (or it expired meanwhile). */
public final class InvalidRecordException extends Exception {
  public InvalidRecordException(String message) {
    super(message);
  }
}
