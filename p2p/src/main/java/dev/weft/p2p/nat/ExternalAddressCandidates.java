package dev.weft.p2p.nat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Addresses worth testing with AutoNAT, from what the {@link ObservedAddressBook} confirmed and
 * what we listen on. A pure function: nothing here is advertised before a dial-back proves it.
 *
 * <ul>
 *   <li>A confirmed address observed on a connection from one of our listen ports: the NAT maps
 *       that port there (inbound connections, or outbound ones that reuse the listen port).
 *   <li>A confirmed outside IP with each listen port of its family: most home NATs (Linux
 *       MASQUERADE, many routers) keep the source port when it is free, so a forwarded or
 *       UPnP-mapped listen port is often reachable there.
 * </ul>
 */
public final class ExternalAddressCandidates {
  private ExternalAddressCandidates() {}

  public static List<Multiaddr> of(List<ObservedAddress> confirmed, List<Multiaddr> confirmedIps, List<Multiaddr> listenAddresses) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    List<Multiaddr> listen = new ArrayList<>();
    for (Multiaddr a : listenAddresses) ObservedAddressBook.thinWaist(a).ifPresent(listen::add);
    for (ObservedAddress o : confirmed) {
      if (!o.confirmed()) continue;
      for (Multiaddr l : listen) {
        if (sameFamily(l, o.address()) && o.localPorts().contains(ObservedAddressBook.port(l))) out.add(o.address());
      }
    }
    for (Multiaddr ip : confirmedIps) {
      for (Multiaddr l : listen) {
        if (sameFamily(l, ip)) out.add(ip.encapsulate("/tcp/" + ObservedAddressBook.port(l)));
      }
    }
    return List.copyOf(out);
  }

  private static boolean sameFamily(Multiaddr a, Multiaddr b) {
    Protocol pa = a.components().get(0).protocol();
    Protocol pb = b.components().get(0).protocol();
    return pa == pb;
  }
}
