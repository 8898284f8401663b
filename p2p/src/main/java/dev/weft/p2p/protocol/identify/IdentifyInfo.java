package dev.weft.p2p.protocol.identify;

import dev.weft.p2p.crypto.PubKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/**
 * A decoded identify message. Absent optional fields are null; repeated fields are empty when
 * absent (a push with an empty list leaves the stored list alone).
 *
 * @param listenAddrs the addresses that decoded; undecodable ones are counted in {@code skippedAddrs}
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    PubKey publicKey,
    List<Multiaddr> listenAddrs,
    Multiaddr observedAddr,
    List<String> protocols,
    byte[] signedPeerRecord,
    int skippedAddrs) {

  public IdentifyInfo {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
  }
}
