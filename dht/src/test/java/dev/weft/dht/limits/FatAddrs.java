package dev.weft.dht.limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Long but valid multiaddrs, as an attacker pads its provider announcements with. */
public final class FatAddrs {
  private FatAddrs() {}

  /**
   * {@code count} distinct, valid multiaddrs of exactly {@code bytes} bytes each
   * ({@code /dns/<name>/tcp/4001}, 1 KB being the codec's limit), distinguished by {@code salt}.
   */
  public static List<byte[]> of(int count, int bytes, int salt) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int nameLen = bytes - 3 - 1 - 2; // tcp component, dns code, 2-byte length varint
      if (nameLen < 128) nameLen = bytes - 3 - 1 - 1;
      StringBuilder name = new StringBuilder(salt + "-" + i + "-");
      while (name.length() < nameLen) name.append('a');
      byte[] n = name.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] lenVarint = dev.weft.p2p.multiformats.Varint.encode(n.length);
      byte[] a = new byte[1 + lenVarint.length + n.length + 3];
      a[0] = 53;
      System.arraycopy(lenVarint, 0, a, 1, lenVarint.length);
      System.arraycopy(n, 0, a, 1 + lenVarint.length, n.length);
      a[a.length - 3] = 6;
      a[a.length - 2] = 0x0F;
      a[a.length - 1] = (byte) 0xA1;
      if (!dev.weft.dht.codec.MultiaddrBytes.isValid(a) || a.length != bytes) throw new IllegalStateException("bad fat address of " + a.length);
      out.add(a);
    }
    return out;
  }}
