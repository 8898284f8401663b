package dev.weft.p2p.nat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.Arrays;

/**
 * The network an observer sits in, so that many peers run by one party count once: an IPv4 /16
 * or an IPv6 /32 (roughly what one provider hands one customer, as go-libp2p's observed-address
 * manager groups them). A peer without an IP address (relayed, in-memory) is its own group, named
 * by its whole address.
 */
public record ObserverGroup(String key) {
  public static ObserverGroup of(Multiaddr observerAddress) {
    if (!observerAddress.components().isEmpty()) {
      Multiaddr.Component first = observerAddress.components().get(0);
      byte[] ip = first.value();
      if (first.protocol() == Protocol.IP4 && ip.length == 4) {
        return new ObserverGroup("ip4:" + (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "/16");
      }
      if (first.protocol() == Protocol.IP6 && ip.length == 16) {
        if (isV4Mapped(ip)) return new ObserverGroup("ip4:" + (ip[12] & 0xFF) + "." + (ip[13] & 0xFF) + "/16");
        return new ObserverGroup("ip6:" + hex(Arrays.copyOf(ip, 4)) + "/32");
      }
    }
    return new ObserverGroup("addr:" + observerAddress);
  }

  private static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) if (ip[i] != 0) return false;
    return (ip[10] & 0xFF) == 0xFF && (ip[11] & 0xFF) == 0xFF;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x & 0xFF));
    return s.toString();
  }
}
