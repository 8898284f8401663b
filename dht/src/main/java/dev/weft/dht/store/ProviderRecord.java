package dev.weft.dht.store;

import dev.weft.p2p.api.PeerId;
import java.util.List;

/** One provider of one key: who, at which addresses, since when (wall clock). */
public record ProviderRecord(PeerId provider, List<byte[]> addrs, long receivedAtEpochMillis) {
  public ProviderRecord {
    addrs = List.copyOf(addrs);
  }
}
