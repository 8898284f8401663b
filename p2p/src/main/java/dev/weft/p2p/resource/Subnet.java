package dev.weft.p2p.resource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The address block a source is counted in: the /24 of an IPv4 address, the /48 of an IPv6 one.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are the IPv4 address they carry, so a
 * dual-stack listener does not give an IPv4 attacker a second, separate share.
 */
public record Subnet(byte[] prefix, int bits) {
  public Subnet {
    prefix = prefix.clone();
  }

  public static Subnet of(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address && isV4Mapped(b)) b = Arrays.copyOfRange(b, 12, 16);
    if (b.length == 4) return new Subnet(Arrays.copyOf(b, 3), 24);
    if (a instanceof Inet4Address) throw new IllegalArgumentException("bad IPv4 address " + a);
    return new Subnet(Arrays.copyOf(b, 6), 48);
  }

  /** The source address itself, IPv4-mapped addresses unmapped (so both forms count as one source). */
  public static InetAddress canonical(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address && isV4Mapped(b)) {
      try {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    return a;
  }

  private static boolean isV4Mapped(byte[] b) {
    if (b.length != 16) return false;
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  @Override public boolean equals(Object o) {
    return o instanceof Subnet s && s.bits == bits && Arrays.equals(s.prefix, prefix);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(prefix) * 31 + bits;
  }

  @Override public String toString() {
    StringBuilder sb = new StringBuilder();
    if (bits == 24) {
      for (byte x : prefix) sb.append(x & 0xff).append('.');
      sb.append("0/24");
    } else {
      for (int i = 0; i < prefix.length; i += 2) sb.append(Integer.toHexString(((prefix[i] & 0xff) << 8) | (prefix[i + 1] & 0xff))).append(':');
      sb.append(":/48");
    }
    return sb.toString();
  }
}
