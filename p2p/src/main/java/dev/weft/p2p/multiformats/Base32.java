package dev.weft.p2p.multiformats;

import java.util.Arrays;

/**
 * RFC 4648 base32 (alphabet {@code a-z2-7}) without padding: multibase {@code b}, the text form
 * of CIDv1, and the onion/garlic32 multiaddr values. Stateless and thread-safe.
 */
public final class Base32 {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int[] LOWER = new int[128];
  private static final int[] UPPER = new int[128];

  static {
    Arrays.fill(LOWER, -1);
    Arrays.fill(UPPER, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      LOWER[ALPHABET[i]] = i;
      UPPER[Character.toUpperCase(ALPHABET[i])] = i;
    }
  }

  private Base32() {}

  public static String encode(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    return sb.toString();
  }

  /**
   * Decodes unpadded base32 in one letter case.
   *
   * @throws IllegalArgumentException on a character outside the alphabet, an impossible length or
   *     non-zero trailing bits (which would make two texts decode to the same bytes)
   */
  public static byte[] decode(String text, boolean upperCase) {
    int[] table = upperCase ? UPPER : LOWER;
    int rem = text.length() % 8;
    if (rem == 1 || rem == 3 || rem == 6) throw new IllegalArgumentException("invalid base32 length " + text.length());
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int o = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? table[c] : -1;
      if (v < 0) throw new IllegalArgumentException("invalid base32 character at " + i);
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[o++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) throw new IllegalArgumentException("non-zero trailing base32 bits");
    return out;
  }
}
