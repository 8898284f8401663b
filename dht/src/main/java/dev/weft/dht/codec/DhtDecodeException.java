package dev.weft.dht.codec;

/** A frame that is not a valid kad-dht message within our limits: the sender misbehaved. */
public final class DhtDecodeException extends Exception {
  public DhtDecodeException(String message) {
    super(message);
  }

  public DhtDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
