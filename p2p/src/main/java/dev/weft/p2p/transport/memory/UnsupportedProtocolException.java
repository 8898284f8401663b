package dev.weft.p2p.transport.memory;

import java.io.IOException;
import java.util.List;

/** The remote supports none of the protocols asked for (the in-memory form of multistream's {@code na}). */
public final class UnsupportedProtocolException extends IOException {
  public UnsupportedProtocolException(List<String> protocols) {
    super("remote supports none of " + protocols);
  }
}
