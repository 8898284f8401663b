package dev.weft.p2p.noise;

/** The Noise handshake or transport failed: bad message, failed authentication, or a limit. */
public final class NoiseException extends Exception {
  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
