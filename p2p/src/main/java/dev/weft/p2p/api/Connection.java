package dev.weft.p2p.api;

import dev.weft.p2p.multiformats.Multiaddr;
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

  /** Opens a stream and negotiates the first of {@code protocols} the remote supports. */
  CompletableFuture<Stream> newStream(List<String> protocols);

  /** Streams open now. */
  List<Stream> streams();

  /** Closes the connection (Yamux GoAway, then the socket); open streams are reset. */
  CompletableFuture<Void> close();

  /** Completes when the connection is closed, by either side. Never fails. */
  CompletableFuture<Void> closeFuture();
}
