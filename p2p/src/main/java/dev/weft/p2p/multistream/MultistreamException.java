package dev.weft.p2p.multistream;

/** The remote broke multistream-select: a malformed or oversized message, or an unexpected answer. */
public final class MultistreamException extends Exception {
  public MultistreamException(String message) {
    super(message);
  }
}
