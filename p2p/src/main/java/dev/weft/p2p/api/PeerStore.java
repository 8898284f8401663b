package dev.weft.p2p.api;

import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the host knows about other peers: addresses, protocols, keys. Thread-safe. */
public interface PeerStore {
  void addAddresses(PeerId peer, List<Multiaddr> addresses, long ttlMillis);

  List<Multiaddr> addresses(PeerId peer);

  void setProtocols(PeerId peer, Set<String> protocols);

  Set<String> protocols(PeerId peer);

  void setPublicKey(PeerId peer, PubKey key);

  Optional<PubKey> publicKey(PeerId peer);

  Set<PeerId> peers();
}
