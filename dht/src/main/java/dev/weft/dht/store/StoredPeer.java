package dev.weft.dht.store;

import dev.weft.p2p.api.PeerId;
import java.util.List;

/** A routing-table resident kept across restarts. */
public record StoredPeer(PeerId peer, List<byte[]> addrs, long lastSeenEpochMillis) {
  public StoredPeer {
    addrs = List.copyOf(addrs);
  }
}
