package dev.weft.p2p.resource;

import dev.weft.p2p.api.PeerId;
import java.net.InetAddress;

/**
 * One connection's reservation. Inbound: a pending-handshake slot and a connection slot counted
 * against its source address, its subnet and (once upgraded) its peer. Outbound (one we dial,
 * {@link ResourceManager#reserveOutbound}): a connection slot from before the dial, then its peer;
 * no source share (the address is our choice, not a stranger's) and never shed for a newcomer.
 * Relayed inbound ({@link ResourceManager#admitRelayed}): a connection slot and its peer, no
 * source share (its socket is the relay's, already counted as the relay's connection).
 * {@link #close()} releases whatever it still holds; it is idempotent, so the owner calls it in a
 * {@code finally} or a close listener without tracking whether the manager already shed it.
 *
 * <p>State is guarded by the manager's lock; getters may be called from any thread.
 */
public final class ConnectionScope implements AutoCloseable {
  private final ResourceManager manager;
  /** Null for an outbound scope. */
  final InetAddress source;
  /** Null for an outbound scope. */
  final Subnet subnet;
  final boolean outbound;
  /** An inbound connection that arrived inside a relayed stream: no source address of its own. */
  final boolean relayed;
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
    this(manager, source, openedAtMillis, sequence, false);
  }

  ConnectionScope(ResourceManager manager, InetAddress source, long openedAtMillis, long sequence, boolean relayed) {
    this.manager = manager;
    this.source = source;
    this.subnet = source == null ? null : Subnet.of(source);
    this.relayed = relayed;
    this.outbound = source == null && !relayed;
    this.openedAtMillis = openedAtMillis;
    this.sequence = sequence;
  }

  /** The inbound source address; null for a connection we dialled. */
  public InetAddress source() {
    return source;
  }

  /** The inbound source's /24 or /48; null for a connection we dialled. */
  public Subnet subnet() {
    return subnet;
  }

  public boolean isOutbound() {
    return outbound;
  }

  /** An inbound connection adopted from inside a relayed stream ({@link ResourceManager#admitRelayed}). */
  public boolean isRelayed() {
    return relayed;
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
    return "ConnectionScope(" + (outbound ? "outbound" : relayed ? "relayed" : source.getHostAddress()) + (peer != null ? ", " + peer : "")
        + (pending ? ", pending" : "") + ")";
  }
}
