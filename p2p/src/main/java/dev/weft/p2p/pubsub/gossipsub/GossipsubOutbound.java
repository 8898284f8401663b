package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.Rpc;

/**
 * Where the router's output goes: RPCs to send and peers to connect to. Called on the router's
 * thread; implementations queue the work and return at once (the router never waits for I/O).
 */
public interface GossipsubOutbound {
  /** Sends {@code rpc} to a connected peer (dropping it if the peer is gone is fine). */
  void send(PeerId peer, Rpc rpc);

  /** Peer exchange suggested {@code peer} (with its signed peer record, or null): connect if possible. */
  default void connect(PeerId peer, byte[] signedPeerRecord) {}
}
