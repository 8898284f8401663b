package dev.weft.p2p.multiformats;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Valid random multiaddr components of every protocol in the table, from a seeded source. */
final class RandomMultiaddrs {
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:%@ é漢";

  private RandomMultiaddrs() {}

  static Multiaddr multiaddr(SplittableRandom r) {
    int n = r.nextInt(1, 8);
    List<Multiaddr.Component> out = new ArrayList<>();
    Protocol[] all = Protocol.values();
    for (int i = 0; i < n; i++) {
      Protocol p = all[r.nextInt(all.length)];
      if (p == Protocol.UNIX && i < n - 1) p = Protocol.TCP; // a path swallows the rest of the text form
      out.add(component(p, r));
    }
    try {
      return Multiaddr.of(out);
    } catch (IllegalArgumentException tooLong) {
      return Multiaddr.of(out.subList(0, 1));
    }
  }

  static Multiaddr.Component component(Protocol p, SplittableRandom r) {
    byte[] value = switch (p) {
      case IP4 -> bytes(r, 4);
      case IP6 -> ip6(r);
      case TCP, UDP, DCCP, SCTP -> bytes(r, 2);
      case IPCIDR -> bytes(r, 1);
      case IP6ZONE, DNS, DNS4, DNS6, DNSADDR, SNI, MEMORY -> string(r, 1, 40).getBytes(StandardCharsets.UTF_8);
      case UNIX -> ("/" + string(r, 0, 30) + "/" + string(r, 0, 10)).getBytes(StandardCharsets.UTF_8);
      case P2P -> peer(r).bytes();
      case ONION -> onion(r, 10);
      case ONION3 -> onion(r, 35);
      case GARLIC64 -> bytes(r, 386 + r.nextInt(20));
      case GARLIC32 -> bytes(r, r.nextBoolean() ? 32 : 35 + r.nextInt(10));
      case CERTHASH -> r.nextBoolean() ? Multihash.sha256(bytes(r, 8)).bytes() : Multihash.identity(bytes(r, r.nextInt(20))).bytes();
      case HTTP_PATH -> bytes(r, 1 + r.nextInt(30));
      default -> new byte[0];
    };
    return new Multiaddr.Component(p, value);
  }

  static PeerId peer(SplittableRandom r) {
    return r.nextBoolean()
        ? PeerId.fromPublicKey(Ed25519.fromSeedNumber(r.nextLong()).publicKey())
        : PeerId.fromBytes(Multihash.sha256(bytes(r, 16)).bytes());
  }

  private static byte[] ip6(SplittableRandom r) {
    byte[] b = bytes(r, 16);
    // zero runs and mapped addresses exercise the compressed and dotted text forms
    if (r.nextInt(3) == 0) java.util.Arrays.fill(b, r.nextInt(16), 16, (byte) 0);
    if (r.nextInt(5) == 0) {
      java.util.Arrays.fill(b, 0, 10, (byte) 0);
      b[10] = (byte) 0xff;
      b[11] = (byte) 0xff;
    }
    return b;
  }

  private static byte[] onion(SplittableRandom r, int hostBytes) {
    byte[] b = bytes(r, hostBytes + 2);
    b[hostBytes + 1] |= 1; // port 0 is invalid
    return b;
  }

  static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static String string(SplittableRandom r, int min, int max) {
    int len = min + r.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) sb.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
    return sb.toString();
  }
}
