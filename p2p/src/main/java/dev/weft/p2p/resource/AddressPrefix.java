package dev.weft.p2p.resource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An address block in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}), for
 * {@link ResourceLimits#allowlist}. Parsed from literals only — a name is refused, never looked
 * up — and validated: the length fits the family, no bits are set past it (so a typo such as
 * {@code 127.0.0.1/8} is refused rather than silently widened), and {@code /0} is refused (it would
 * exempt every stranger; raise the per-source limits instead). IPv4-mapped IPv6 addresses are
 * matched as the IPv4 address they carry, as {@link Subnet} counts them.
 */
public record AddressPrefix(byte[] network, int bits) {
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** What a loopback testnet allows: every node shares 127.0.0.1 (or ::1). */
  public static final List<AddressPrefix> LOOPBACK = List.of(parse("127.0.0.0/8"), parse("::1/128"));

  public AddressPrefix {
    if (network == null || (network.length != 4 && network.length != 16)) {
      throw new IllegalArgumentException("an address prefix needs a 4- or 16-byte network address");
    }
    network = network.clone();
    int max = network.length * 8;
    if (bits < 1 || bits > max) {
      throw new IllegalArgumentException("prefix length must be 1.." + max + " for this address family, got " + bits);
    }
    for (int i = bits; i < max; i++) {
      if ((network[i / 8] & (0x80 >>> (i % 8))) != 0) {
        throw new IllegalArgumentException("bits set past the /" + bits + " prefix in " + text(network) + " (did you mean "
            + text(masked(network, bits)) + "/" + bits + "?)");
      }
    }
  }

  @Override public byte[] network() {
    return network.clone();
  }

  /** Parses {@code ADDRESS/BITS}; throws {@link IllegalArgumentException} naming what is wrong. */
  public static AddressPrefix parse(String cidr) {
    if (cidr == null) throw new IllegalArgumentException("address prefix missing");
    String s = cidr.strip();
    int slash = s.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("address prefix '" + cidr + "' needs a length, as in 127.0.0.0/8 or ::1/128");
    String addr = s.substring(0, slash);
    String len = s.substring(slash + 1);
    if (!len.matches("\\d{1,3}")) throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
    byte[] bytes;
    if (IPV4.matcher(addr).matches()) {
      bytes = literal(addr, cidr);
    } else if (addr.indexOf(':') >= 0 && addr.indexOf('%') < 0 && addr.matches("[0-9A-Fa-f:.]+")) {
      // A string with ':' is taken as an IPv6 literal, never resolved.
      bytes = literal(addr, cidr);
      // Java reads an IPv4-mapped literal (::ffff:a.b.c.d) as the IPv4 address, as we match it.
      if (bytes.length != 16) throw new IllegalArgumentException("'" + addr + "' in '" + cidr + "' is IPv4-mapped: write the IPv4 prefix");
    } else {
      throw new IllegalArgumentException("'" + addr + "' in '" + cidr + "' is not an IPv4 or IPv6 address literal");
    }
    try {
      return new AddressPrefix(bytes, Integer.parseInt(len));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("address prefix '" + cidr + "': " + e.getMessage(), e);
    }
  }

  private static byte[] literal(String addr, String cidr) {
    try {
      return InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + addr + "' in '" + cidr + "' is not an address literal", e);
    }
  }

  /** Whether {@code a} lies in this block (an IPv4-mapped IPv6 address as its IPv4 address). */
  public boolean contains(InetAddress a) {
    byte[] b = Subnet.canonical(a).getAddress();
    if (b.length != network.length) return false;
    int full = bits / 8;
    for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
    int rest = bits % 8;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (b[full] & mask) == (network[full] & mask);
  }

  private static byte[] masked(byte[] b, int bits) {
    byte[] m = b.clone();
    for (int i = bits; i < m.length * 8; i++) m[i / 8] &= (byte) ~(0x80 >>> (i % 8));
    return m;
  }

  private static String text(byte[] b) {
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof AddressPrefix p && p.bits == bits && Arrays.equals(p.network, network);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(network) * 31 + bits;
  }

  @Override public String toString() {
    return text(network) + "/" + bits;
  }
}
