package dev.weft.p2p.resource;

import dev.weft.p2p.api.PeerId;

/**
 * One inbound stream's reservation: counted against its connection, its protocol and its peer,
 * plus whatever buffer bytes it reserves. {@link #close()} releases all of it and is idempotent:
 * call it in a {@code finally} or in the stream's close callback.
 */
public final class StreamScope implements AutoCloseable {
  private final ResourceManager manager;
  final long connectionId;
  final PeerId peer;
  final String protocol;
  // Guarded by manager.
  long reservedBytes;
  boolean released;

  StreamScope(ResourceManager manager, long connectionId, PeerId peer, String protocol) {
    this.manager = manager;
    this.connectionId = connectionId;
    this.peer = peer;
    this.protocol = protocol;
  }

  public PeerId peer() {
    return peer;
  }

  public String protocol() {
    return protocol;
  }

  /** Reserves {@code bytes} of buffer for this stream, or throws naming the limit it would pass. */
  public void reserveMemory(long bytes) throws LimitExceededException {
    manager.reserveMemory(this, bytes);
  }

  /** Returns {@code bytes} reserved earlier (at most what this scope holds). */
  public void releaseMemory(long bytes) {
    manager.releaseMemory(this, bytes);
  }

  public long reservedBytes() {
    synchronized (manager) {
      return reservedBytes;
    }
  }

  @Override public void close() {
    manager.release(this);
  }

  @Override public String toString() {
    return "StreamScope(" + peer + ", " + protocol + ", " + reservedBytes + " B)";
  }
}
