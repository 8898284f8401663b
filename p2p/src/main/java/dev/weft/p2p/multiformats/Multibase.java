package dev.weft.p2p.multiformats;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Multibase text encodings (multiformats/multibase): a one-character prefix naming the base, then
 * the data. Decodes base58btc ({@code z}), base32 lower/upper without padding ({@code b}/{@code B}),
 * base16 ({@code f}/{@code F}), base64 ({@code m}), base64 padded ({@code M}), base64url
 * ({@code u}) and base64url padded ({@code U}). Stateless and thread-safe.
 */
public final class Multibase {
  /** Longest text {@link #decode} accepts: bounds work on hostile input (an 8 KiB CID is absurd). */
  public static final int MAX_DECODE_CHARS = 8192;

  /** The bases we encode to. */
  public enum Base {
    BASE58BTC('z'), BASE32('b'), BASE32_UPPER('B'), BASE16('f'), BASE16_UPPER('F'),
    BASE64('m'), BASE64_PAD('M'), BASE64URL('u'), BASE64URL_PAD('U');

    public final char prefix;

    Base(char prefix) {
      this.prefix = prefix;
    }

    public static Base fromPrefix(char c) {
      for (Base b : values()) if (b.prefix == c) return b;
      throw new IllegalArgumentException("unsupported multibase prefix '" + c + "'");
    }
  }

  private Multibase() {}

  public static String encode(Base base, byte[] data) {
    return base.prefix + encodeRaw(base, data);
  }

  /** The encoding of {@code data} in {@code base} without the prefix character. */
  public static String encodeRaw(Base base, byte[] data) {
    return switch (base) {
      case BASE58BTC -> Base58.encode(data);
      case BASE32 -> Base32.encode(data);
      case BASE32_UPPER -> Base32.encode(data).toUpperCase(Locale.ROOT);
      case BASE16 -> HexFormat.of().formatHex(data);
      case BASE16_UPPER -> HexFormat.of().withUpperCase().formatHex(data);
      case BASE64 -> Base64.getEncoder().withoutPadding().encodeToString(data);
      case BASE64_PAD -> Base64.getEncoder().encodeToString(data);
      case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
      case BASE64URL_PAD -> Base64.getUrlEncoder().encodeToString(data);
    };
  }

  /**
   * Decodes prefixed multibase text.
   *
   * @throws IllegalArgumentException on an empty or over-long text, an unknown prefix or a
   *     character outside the base's alphabet
   */
  public static byte[] decode(String text) {
    if (text.isEmpty()) throw new IllegalArgumentException("empty multibase text");
    return decodeRaw(Base.fromPrefix(text.charAt(0)), text.substring(1));
  }

  /** Decodes text of {@code base} that has no prefix character. */
  public static byte[] decodeRaw(Base base, String text) {
    if (text.length() > MAX_DECODE_CHARS) throw new IllegalArgumentException("multibase text too long: " + text.length());
    return switch (base) {
      case BASE58BTC -> Base58.decode(text);
      case BASE32 -> Base32.decode(text, false);
      case BASE32_UPPER -> Base32.decode(text, true);
      case BASE16, BASE16_UPPER -> decodeHex(text, base == Base.BASE16_UPPER);
      case BASE64 -> decode64(Base64.getDecoder(), text, false);
      case BASE64_PAD -> decode64(Base64.getDecoder(), text, true);
      case BASE64URL -> decode64(Base64.getUrlDecoder(), text, false);
      case BASE64URL_PAD -> decode64(Base64.getUrlDecoder(), text, true);
    };
  }

  private static byte[] decodeHex(String text, boolean upper) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean letter = upper ? c >= 'A' && c <= 'F' : c >= 'a' && c <= 'f';
      if (!digit && !letter) throw new IllegalArgumentException("invalid base16 character at " + i);
    }
    if (text.length() % 2 != 0) throw new IllegalArgumentException("odd-length base16 text");
    return HexFormat.of().parseHex(text);
  }

  private static byte[] decode64(Base64.Decoder decoder, String text, boolean padded) {
    if (padded && text.length() % 4 != 0) throw new IllegalArgumentException("padded base64 length must be a multiple of 4");
    if (!padded && text.indexOf('=') >= 0) throw new IllegalArgumentException("unexpected base64 padding");
    if (!padded && text.length() % 4 == 1) throw new IllegalArgumentException("invalid base64 length");
    try {
      return decoder.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid base64: " + e.getMessage(), e);
    }
  }
}
