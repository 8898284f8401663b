package dev.weft.p2p.api;

import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the host knows about other peers: addresses, protocols, keys. Thread-safe. */
public interface PeerStore {
  /** How long addresses learnt from a connected peer (identify, a successful dial) are kept. */
  long CONNECTED_ADDRESS_TTL_MILLIS = 30 * 60_000L;
  /** Addresses given by the operator (bootstrap lists) never expire. */
  long PERMANENT_ADDRESS_TTL_MILLIS = Long.MAX_VALUE / 4;

  void addAddresses(PeerId peer, List<Multiaddr> addresses, long ttlMillis);

  /**
   * Replaces what we know of {@code peer}'s addresses (identify: the peer's own list is
   * authoritative). Stores that cannot replace only add.
   */
  default void setAddresses(PeerId peer, List<Multiaddr> addresses, long ttlMillis) {
    addAddresses(peer, addresses, ttlMillis);
  }

  List<Multiaddr> addresses(PeerId peer);

  void setProtocols(PeerId peer, Set<String> protocols);

  Set<String> protocols(PeerId peer);

  void setPublicKey(PeerId peer, PubKey key);

  Optional<PubKey> publicKey(PeerId peer);

  Set<PeerId> peers();
}
