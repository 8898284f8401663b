package dev.weft.p2p.yamux;

/** A stream ended abruptly: reset by either side, or its connection closed. */
public final class StreamResetException extends Exception {
  public StreamResetException(String message) {
    super(message, null, false, false);
  }
}
