package dev.weft.p2p.nat;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.Set;

/**
 * What peers say they see us as, summed over live observations.
 *
 * @param address the observed IP and TCP port ({@code /ip4|ip6/../tcp/..}, nothing after)
 * @param observers distinct peers that reported it
 * @param groups distinct observer groups ({@link ObserverGroup}) among them
 * @param confirmed whether {@code groups} reached the configured minimum
 * @param localPorts our local TCP ports of the connections it was observed on: one of our listen
 *     ports means the NAT maps that listen port to {@code address}
 */
public record ObservedAddress(Multiaddr address, int observers, int groups, boolean confirmed, Set<Integer> localPorts) {
  public ObservedAddress {
    localPorts = Set.copyOf(localPorts);
  }
}
