package dev.weft.p2p.nat.relay;

import java.io.IOException;

/** A relay, or the target through it, answered with a status other than OK. */
public final class RelayRefusedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final RelayMessage.Status status;

  public RelayRefusedException(RelayMessage.Status status, String message) {
    super(message + ": " + status);
    this.status = status;
  }

  public RelayMessage.Status status() {
    return status;
  }
}
