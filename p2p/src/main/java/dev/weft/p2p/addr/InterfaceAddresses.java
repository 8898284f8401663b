package dev.weft.p2p.addr;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns listen addresses on {@code 0.0.0.0} or {@code ::} into the addresses a peer can dial: one
 * per interface address of the same family, the rest of the multiaddr kept. A host that advertises
 * {@code /ip4/0.0.0.0/tcp/4001} in identify tells its peers nothing they can use.
 *
 * <p>Link-local addresses ({@code 169.254/16}, {@code fe80::/10}) are left out: they need a zone
 * to dial and are useless beyond one link. Loopback stays (peers on the same machine, tests).
 * Pure: the interface addresses are given; {@link #system()} reads this machine's.
 */
public final class InterfaceAddresses {
  private final List<InetAddress> interfaces;

  public InterfaceAddresses(List<InetAddress> interfaces) {
    this.interfaces = List.copyOf(interfaces);
  }

  /** This machine's interface addresses, read now (interfaces that are down are skipped). */
  public static InterfaceAddresses system() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp()) continue;
        out.addAll(Collections.list(ni.getInetAddresses()));
      }
    } catch (SocketException e) {
      // No interface list (a sandbox without /proc/net): only explicit addresses get advertised.
    }
    return new InterfaceAddresses(out);
  }

  /** {@code listen} with every unspecified address expanded; order kept, duplicates dropped. */
  public List<Multiaddr> expand(List<Multiaddr> listen) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr a : listen) {
      List<Multiaddr.Component> cs = a.components();
      if (cs.isEmpty() || !a.isUnspecified()) {
        out.add(a);
        continue;
      }
      Protocol family = cs.get(0).protocol();
      for (InetAddress ip : interfaces) {
        if (ip.isLinkLocalAddress() || ip.isAnyLocalAddress()) continue;
        boolean match = (family == Protocol.IP4 && ip instanceof Inet4Address) || (family == Protocol.IP6 && ip instanceof Inet6Address);
        if (!match) continue;
        List<Multiaddr.Component> replaced = new ArrayList<>(cs);
        replaced.set(0, new Multiaddr.Component(family, stripScope(ip).getAddress()));
        out.add(Multiaddr.of(replaced));
      }
    }
    return List.copyOf(out);
  }

  private static InetAddress stripScope(InetAddress ip) {
    if (ip instanceof Inet6Address v6 && v6.getScopeId() != 0) {
      try {
        return InetAddress.getByAddress(v6.getAddress());
      } catch (java.net.UnknownHostException e) {
        return ip;
      }
    }
    return ip;
  }
}
