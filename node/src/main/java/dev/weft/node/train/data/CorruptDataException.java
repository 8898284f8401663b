package dev.weft.node.train.data;

/** Data that fails validation: not UTF-8, too short, too long, or not matching its content address. */
public final class CorruptDataException extends IllegalArgumentException {
  public CorruptDataException(String message) {
    super(message);
  }
}
