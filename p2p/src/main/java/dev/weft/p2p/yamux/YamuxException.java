package dev.weft.p2p.yamux;

/** The remote broke the Yamux protocol; the session answers with Go Away (protocol error) and closes. */
public final class YamuxException extends Exception {
  public YamuxException(String message) {
    super(message);
  }
}
