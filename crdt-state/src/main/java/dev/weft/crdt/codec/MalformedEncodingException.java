package dev.weft.crdt.codec;

/** Bytes that are not the canonical encoding of a value: truncated, non-minimal, unsorted, over a limit. */
public final class MalformedEncodingException extends Exception {
  public MalformedEncodingException(String message) {
    super(message);
  }
}
