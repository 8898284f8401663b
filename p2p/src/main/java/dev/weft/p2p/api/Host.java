package dev.weft.p2p.api;

import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A libp2p host: an identity, listeners, connections, and the protocol handlers registered on it.
 * Dialling a peer that is already connected reuses the connection. Thread-safe.
 */
public interface Host extends AutoCloseable {
  PeerId peerId();

  PrivKey privateKey();

  /** Addresses we listen on (with real ports once bound). */
  List<Multiaddr> listenAddresses();

  /**
   * What we tell peers they can reach us at (identify, peer records): the listen addresses and
   * those services add ({@link ServiceContext#advertise}), such as relay circuit addresses.
   */
  default List<Multiaddr> advertisedAddresses() {
    return listenAddresses();
  }

  /** Registers (or replaces) the handler for inbound streams of {@code protocolId}. */
  void setStreamHandler(String protocolId, ProtocolHandler handler);

  void removeStreamHandler(String protocolId);

  /** Protocol ids with a registered handler (what identify advertises). */
  List<String> protocols();

  /** Connects to {@code address}; if it names a /p2p/ peer, the remote must prove that identity. */
  CompletableFuture<Connection> dial(Multiaddr address);

  /**
   * Dials {@code address} (direct, ending in {@code /p2p/PEER}) for a hole punch: from our listen
   * port, with the upgrade's roles fixed by {@code client} rather than by who connected, because
   * the peer dials us at the same moment and the SYNs may cross into one TCP connection (DCUtR.md:
   * the peer that dialled the relayed connection is the client). Reuses a direct connection to the
   * peer if one exists. By default only the client can do this, as an ordinary dial.
   */
  default CompletableFuture<Connection> dialSimultaneous(Multiaddr address, boolean client) {
    return client ? dial(address) : CompletableFuture.failedFuture(new UnsupportedOperationException("this host cannot dial as a hole punch's server"));
  }

  /** Connects to a peer by id, with the addresses the peer store knows, or reuses a connection. */
  CompletableFuture<Connection> connect(PeerId peer);

  /** Opens a stream to {@code peer} (connecting first if needed) for the first supported protocol. */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols);

  List<Connection> connections();

  List<Connection> connections(PeerId peer);

  PeerStore peerStore();

  /** Subscribes to connection and stream events; returns a handle that unsubscribes. */
  AutoCloseable subscribe(Consumer<HostEvent> listener);

  /**
   * Builds a service with this host's {@link ServiceContext} and keeps it: findable by
   * {@link #service}, closed with the host if it is {@link AutoCloseable}.
   */
  <S> S install(ServiceFactory<S> factory);

  /** The first installed service that is a {@code type}, if any. */
  <S> Optional<S> service(Class<S> type);

  /** Closes every service (newest first), connection and listener. */
  @Override void close();
}
