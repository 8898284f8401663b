package dev.weft.p2p.resource;

import dev.weft.p2p.api.PeerId;
import java.net.InetAddress;

/**
 * One inbound connection's reservation: a pending-handshake slot and a connection slot counted
 * against its source address, its subnet and (once upgraded) its peer. {@link #close()} releases
 * whatever it still holds; it is idempotent, so the owner calls it in a {@code finally} or a close
 * listener without tracking whether the manager already shed it.
 *
 * <p>State is guarded by the manager's lock; getters may be called from any thread.
 */
public final class ConnectionScope implements AutoCloseable {
  private final ResourceManager manager;
  final InetAddress source;
  final Subnet subnet;
  final long openedAtMillis;
  final long sequence;
  // Guarded by manager.
  boolean pending = true;
  boolean released;
  boolean identified;
  PeerId peer;
  long connectionId = -1;
  private volatile Runnable closer = () -> {};

  ConnectionScope(ResourceManager manager, InetAddress source, long openedAtMillis, long sequence) {
    this.manager = manager;
    this.source = source;
    this.subnet = Subnet.of(source);
    this.openedAtMillis = openedAtMillis;
    this.sequence = sequence;
  }

  public InetAddress source() {
    return source;
  }

  public Subnet subnet() {
    return subnet;
  }

  public long openedAtMillis() {
    return openedAtMillis;
  }

  public boolean isPending() {
    synchronized (manager) {
      return pending && !released;
    }
  }

  public boolean isReleased() {
    synchronized (manager) {
      return released;
    }
  }

  /**
   * The handshake finished: frees the pending slot and counts the connection against
   * {@code remote}. Throws (holding nothing pending any more, but still the connection slot until
   * {@link #close()}) when the peer already has its share of connections.
   */
  public void upgraded(PeerId remote, long connectionIdOfMuxer) throws LimitExceededException {
    manager.upgraded(this, remote, connectionIdOfMuxer);
  }

  @Override public void close() {
    manager.release(this);
  }

  /** What closes the underlying connection when the manager sheds this scope (set by the adapter). */
  public void onShed(Runnable closeConnection) {
    this.closer = closeConnection;
  }

  /** Closes the underlying connection (after the manager shed this scope). */
  public void closeConnection() {
    closer.run();
  }

  @Override public String toString() {
    return "ConnectionScope(" + source.getHostAddress() + (peer != null ? ", " + peer : "") + (pending ? ", pending" : "") + ")";
  }
}
