package dev.weft.dht.store;

/** The storage under the DHT failed (disk full, corrupt database): our problem, not a peer's. */
public final class DhtStoreException extends RuntimeException {
  public DhtStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
