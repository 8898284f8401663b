package dev.weft.p2p.transport;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.concurrent.CompletableFuture;

/**
 * Makes secured, multiplexed {@link Connection}s: TCP + Noise + Yamux in production, an in-memory
 * transport in simulations. The host above it owns protocol handlers and connection limits.
 */
public interface Transport extends AutoCloseable {
  /** Whether this transport can dial or listen on {@code address}. */
  boolean handles(Multiaddr address);

  /**
   * Listens on {@code address}; every inbound connection, once secured and multiplexed, goes to
   * {@code sink}. Completes with the address actually bound (port 0 resolved).
   */
  CompletableFuture<Multiaddr> listen(Multiaddr address, ConnectionSink sink);

  /**
   * Dials {@code address} and upgrades the connection. If {@code expectedPeer} is not null, the
   * remote must authenticate as that peer or the dial fails.
   */
  CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer, StreamRouter router);

  @Override void close();
}
