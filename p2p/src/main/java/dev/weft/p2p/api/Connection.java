package dev.weft.p2p.api;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one authenticated peer. Thread-safe. */
public interface Connection {
  /** Unique within the host, for logs and maps. */
  long id();

  PeerId remotePeer();

  Multiaddr remoteAddress();

  Multiaddr localAddress();

  /** Whether we dialled (outbound) or accepted (inbound) it. */
  boolean isInitiator();

  /**
   * Whether a third party limits this connection: a circuit through a relay (its remote address
   * has {@code /p2p-circuit}), which the relay closes after its duration or byte limit
   * (circuit-v2.md). Protocols that move much data or keep long-lived state (gossipsub mesh, DHT,
   * block exchange of big blobs) should wait for a direct connection to the peer; the host
   * prefers a direct connection to a limited one for new streams.
   */
  default boolean isLimited() {
    return remoteAddress().has(Protocol.P2P_CIRCUIT);
  }

  /** Opens a stream and negotiates the first of {@code protocols} the remote supports. */
  CompletableFuture<Stream> newStream(List<String> protocols);

  /** Streams open now. */
  List<Stream> streams();

  /** Closes the connection (Yamux GoAway, then the socket); open streams are reset. */
  CompletableFuture<Void> close();

  /** Completes when the connection is closed, by either side. Never fails. */
  CompletableFuture<Void> closeFuture();
}
