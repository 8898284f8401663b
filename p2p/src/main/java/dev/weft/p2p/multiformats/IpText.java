package dev.weft.p2p.multiformats;

/**
 * Strict IPv4/IPv6 literal parsing and printing, without the JDK's resolver (which may do DNS
 * lookups and silently turns IPv4-mapped IPv6 literals into IPv4 addresses).
 */
final class IpText {
  private IpText() {}

  /** Dotted-quad IPv4; leading zeros are rejected (they mean octal to some parsers). */
  static byte[] parse4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("invalid IPv4 address '" + s + "'");
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        throw new IllegalArgumentException("invalid IPv4 address '" + s + "'");
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') throw new IllegalArgumentException("invalid IPv4 address '" + s + "'");
        v = v * 10 + (c - '0');
      }
      if (v > 255) throw new IllegalArgumentException("invalid IPv4 address '" + s + "'");
      out[i] = (byte) v;
    }
    return out;
  }

  static String format4(byte[] b, int off) {
    return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
  }

  /** RFC 4291 text: hex groups, at most one {@code ::}, optionally a dotted IPv4 tail. */
  static byte[] parse6(String s) {
    if (s.isEmpty() || s.length() > 45) throw new IllegalArgumentException("invalid IPv6 address '" + s + "'");
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) throw new IllegalArgumentException("invalid IPv6 address '" + s + "'");
    int[] head = groups(dbl >= 0 ? s.substring(0, dbl) : s, dbl < 0, s);
    int[] tail = dbl >= 0 ? groups(s.substring(dbl + 2), true, s) : new int[0];
    int total = head.length + tail.length;
    if (dbl < 0 ? total != 8 : total > 7) throw new IllegalArgumentException("invalid IPv6 address '" + s + "'");
    byte[] out = new byte[16];
    for (int i = 0; i < head.length; i++) putGroup(out, i, head[i]);
    for (int i = 0; i < tail.length; i++) putGroup(out, 8 - tail.length + i, tail[i]);
    return out;
  }

  private static void putGroup(byte[] out, int index, int value) {
    out[2 * index] = (byte) (value >>> 8);
    out[2 * index + 1] = (byte) value;
  }

  private static int[] groups(String part, boolean v4TailAllowed, String whole) {
    if (part.isEmpty()) return new int[0];
    String[] parts = part.split(":", -1);
    boolean v4 = v4TailAllowed && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (v4 ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (v4 && i == parts.length - 1) {
        byte[] b = parse4(p);
        out[i] = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        out[i + 1] = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) throw new IllegalArgumentException("invalid IPv6 address '" + whole + "'");
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        int d = Character.digit(p.charAt(j), 16);
        if (d < 0 || p.charAt(j) > 'f') throw new IllegalArgumentException("invalid IPv6 address '" + whole + "'");
        v = (v << 4) | d;
      }
      out[i] = v;
    }
    return out;
  }

  /** RFC 5952 canonical text; IPv4-mapped addresses print as {@code ::ffff:a.b.c.d}. */
  static String format6(byte[] b) {
    boolean mapped = true;
    for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
    if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) return "::ffff:" + format4(b, 12);
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
