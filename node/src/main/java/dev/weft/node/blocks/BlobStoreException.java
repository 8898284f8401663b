package dev.weft.node.blocks;

/** The blob store could not do what was asked: disk error, quota, unknown blob. The message says which. */
public final class BlobStoreException extends RuntimeException {
  public BlobStoreException(String message) {
    super(message);
  }

  public BlobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
