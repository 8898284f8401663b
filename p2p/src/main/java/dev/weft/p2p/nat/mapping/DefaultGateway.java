package dev.weft.p2p.nat.mapping;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway, where a home router's NAT-PMP server listens: read from Linux's
 * {@code /proc/net/route} (the route with destination 0 and the gateway flag; lowest metric wins).
 * Other systems: empty (a gateway can be given explicitly).
 */
public final class DefaultGateway {
  private DefaultGateway() {}

  /** Lines longer than this are not route lines; the file is read whole only up to 64 KiB. */
  static final int MAX_BYTES = 64 * 1024;

  public static Optional<Inet4Address> system() {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc/net/route"));
      return parse(new String(b, 0, Math.min(b.length, MAX_BYTES), java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses the text of {@code /proc/net/route}; malformed lines are skipped. */
  public static Optional<Inet4Address> parse(String routeTable) {
    Inet4Address best = null;
    long bestMetric = Long.MAX_VALUE;
    String[] lines = routeTable.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length < 7) continue;
      try {
        if (Long.parseLong(f[1], 16) != 0) continue; // not the default route
        int flags = Integer.parseInt(f[3], 16);
        if ((flags & 0x3) != 0x3) continue; // RTF_UP | RTF_GATEWAY
        long gw = Long.parseLong(f[2], 16);
        long metric = Long.parseLong(f[6]);
        if (gw == 0 || gw > 0xFFFF_FFFFL || metric >= bestMetric) continue;
        // little-endian hex on x86 and arm: the first octet is the low byte
        byte[] ip = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
        best = (Inet4Address) InetAddress.getByAddress(ip);
        bestMetric = metric;
      } catch (NumberFormatException | UnknownHostException e) {
        // not a route line
      }
    }
    return Optional.ofNullable(best);
  }
}
