package dev.weft.p2p.api;

/** What happened on a host. Delivered to subscribers in order, on a host thread; don't block. */
public sealed interface HostEvent {
  record PeerConnected(Connection connection) implements HostEvent {}

  record PeerDisconnected(Connection connection) implements HostEvent {}

  record StreamOpened(Stream stream) implements HostEvent {}

  /** A peer's identify record arrived or changed (protocols, addresses, key). */
  record PeerIdentified(PeerId peer) implements HostEvent {}
}
