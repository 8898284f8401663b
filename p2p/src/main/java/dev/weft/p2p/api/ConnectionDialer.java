package dev.weft.p2p.api;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.concurrent.CompletableFuture;

/**
 * Makes connections to addresses the host's transports do not handle, from inside a service (a
 * circuit relay client dials {@code /p2p/RELAY/p2p-circuit/p2p/TARGET} through a stream to the
 * relay). Registered with {@link ServiceContext#addDialer}. Thread-safe.
 */
public interface ConnectionDialer {
  /** Whether this dialer can reach {@code address}. */
  boolean handles(Multiaddr address);

  /**
   * Connects to {@code address}; the remote must authenticate as {@code expectedPeer} (the
   * address's trailing {@code /p2p/}). The host admits the result into its table.
   */
  CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer);
}
