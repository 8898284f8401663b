package dev.weft.p2p.protocol.io;

import java.io.IOException;

/** The peer broke the protocol (malformed or oversized message, wrong key): drop its connection. */
public class ProtocolViolationException extends IOException {
  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
