package dev.weft.node.train.checkpoint;

/** A checkpoint that cannot be trusted: truncated, malformed header, wrong shapes, or hash mismatch. */
public final class CorruptCheckpointException extends RuntimeException {
  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
