package dev.weft.dht.keyspace;

import dev.weft.p2p.api.PeerId;
import java.util.List;

/**
 * A peer as the DHT passes it around: its id, its point in the keyspace (computed once), and its
 * addresses as raw, already validated multiaddr bytes.
 */
public record PeerInfo(PeerId id, KadKey kadKey, List<byte[]> addrs) {
  public PeerInfo {
    addrs = List.copyOf(addrs);
  }

  public static PeerInfo of(PeerId id, List<byte[]> addrs) {
    return new PeerInfo(id, KadKey.ofPeer(id), addrs);
  }

  public PeerInfo withAddrs(List<byte[]> newAddrs) {
    return new PeerInfo(id, kadKey, newAddrs);
  }

  @Override public boolean equals(Object o) {
    return o instanceof PeerInfo p && p.id.equals(id);
  }

  @Override public int hashCode() {
    return id.hashCode();
  }

  @Override public String toString() {
    return id.toString();
  }
}
