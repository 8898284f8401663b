package dev.weft.p2p.nat.dcutr;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/** DCUtR messages, decoded ({@link DcutrCodec}). */
public sealed interface DcutrMessage {
  /** @param addrs the sender's observed (and listen) addresses; undecodable ones dropped */
  record Connect(List<Multiaddr> addrs) implements DcutrMessage {
    public Connect {
      addrs = List.copyOf(addrs);
    }
  }

  record Sync() implements DcutrMessage {}
}
