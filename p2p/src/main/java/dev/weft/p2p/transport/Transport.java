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

  /**
   * Dials {@code address} from a port of its own, never the one we listen on: for dial-backs
   * (AutoNAT), where a connection from our listen port could pass the peer's NAT through the
   * mapping of a connection the peer made to us and prove a reachability it does not have. The
   * same as {@link #dial} for transports that do not reuse listen ports (the default).
   */
  default CompletableFuture<Connection> dialFromEphemeralPort(Multiaddr address, PeerId expectedPeer, StreamRouter router) {
    return dial(address, expectedPeer, router);
  }

  /**
   * Dials {@code address} for a hole punch (DCUtR): from the address we listen on, so that the NAT
   * in front of us maps the connection to the port the peer was told to dial, and with the
   * upgrade's roles fixed by the caller rather than by who connected. Both ends dial at once;
   * their SYNs may cross and make one TCP connection on which both believe they dialled (TCP
   * simultaneous open). DCUtR.md settles it: "A is assumed to be the client and B the server" —
   * {@code client} is true at A (the peer that dialled the relayed connection), false at B, and
   * the multistream-select, Noise and Yamux roles follow.
   *
   * <p>Never falls back to another local port: through a NAT that would be pointless. Fails with
   * {@link UnsupportedOperationException} where the transport cannot do this (the default).
   */
  default CompletableFuture<Connection> dialSimultaneous(Multiaddr address, PeerId expectedPeer, StreamRouter router, boolean client) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(getClass().getSimpleName() + " cannot dial for a hole punch"));
  }

  @Override void close();
}
