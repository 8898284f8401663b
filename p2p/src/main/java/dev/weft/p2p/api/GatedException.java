package dev.weft.p2p.api;

import java.io.IOException;

/** A dial or connection refused by the host's {@link ConnectionGater}; {@link #reason()} is the gater's. */
public final class GatedException extends IOException {
  private final String reason;

  public GatedException(String what, String reason) {
    super(what + " refused by the connection gater: " + reason);
    this.reason = reason;
  }

  /** The gater's own words. */
  public String reason() {
    return reason;
  }
}
