package dev.weft.p2p.multiformats;

import dev.weft.p2p.api.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** The value formats of multiaddr-protocols.csv. */
final class ValueCodecs {
  private ValueCodecs() {}

  static final ValueCodec NONE = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      throw new IllegalArgumentException("protocol takes no value");
    }

    @Override public String toText(byte[] value) {
      return "";
    }

    @Override public void validate(byte[] value) {
      if (value.length != 0) throw new IllegalArgumentException("protocol takes no value");
    }
  };

  static final ValueCodec IP4 = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      return IpText.parse4(text);
    }

    @Override public String toText(byte[] value) {
      return IpText.format4(value, 0);
    }

    @Override public void validate(byte[] value) {}
  };

  static final ValueCodec IP6 = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      return IpText.parse6(text);
    }

    @Override public String toText(byte[] value) {
      return IpText.format6(value);
    }

    @Override public void validate(byte[] value) {}
  };

  /** A 16-bit port, big-endian. */
  static final ValueCodec PORT = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      int port = parseDecimal(text, 65535, "port");
      return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    @Override public String toText(byte[] value) {
      return Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
    }

    @Override public void validate(byte[] value) {}
  };

  /** An ipcidr prefix length, one byte. */
  static final ValueCodec BYTE = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      return new byte[] {(byte) parseDecimal(text, 255, "ipcidr")};
    }

    @Override public String toText(byte[] value) {
      return Integer.toString(value[0] & 0xFF);
    }

    @Override public void validate(byte[] value) {}
  };

  /** A non-empty UTF-8 string without '/' (dns names, zones, sni, memory). */
  static final ValueCodec STRING = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      if (text.isEmpty()) throw new IllegalArgumentException("empty value");
      if (text.indexOf('/') >= 0) throw new IllegalArgumentException("value may not contain '/'");
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String toText(byte[] value) {
      return new String(value, StandardCharsets.UTF_8);
    }

    @Override public void validate(byte[] value) {
      toBytes(strictUtf8(value));
    }
  };

  /** A unix socket path: the rest of the text form, stored with its leading '/'. */
  static final ValueCodec PATH = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      if (text.isEmpty() || text.charAt(0) != '/') throw new IllegalArgumentException("path must start with '/'");
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String toText(byte[] value) {
      return new String(value, StandardCharsets.UTF_8);
    }

    @Override public void validate(byte[] value) {
      toBytes(strictUtf8(value));
    }
  };

  /** A peer id: multihash bytes; text in base58btc or as a libp2p-key CID. */
  static final ValueCodec PEER_ID = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      return PeerId.parse(text).bytes();
    }

    @Override public String toText(byte[] value) {
      return Base58.encode(value);
    }

    @Override public void validate(byte[] value) {
      PeerId.fromBytes(value);
    }
  };

  /** A multihash (of a certificate); text in any multibase, printed as base64url. */
  static final ValueCodec CERTHASH = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      byte[] bytes = Multibase.decode(text);
      validate(bytes);
      return bytes;
    }

    @Override public String toText(byte[] value) {
      return Multibase.encode(Multibase.Base.BASE64URL, value);
    }

    @Override public void validate(byte[] value) {
      Multihash.decode(value);
    }
  };

  /** A percent-encoded HTTP path; the bytes are the decoded path. */
  static final ValueCodec PERCENT = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      if (text.isEmpty()) throw new IllegalArgumentException("empty value");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '%') {
          if (i + 2 >= text.length()) {
            throw new IllegalArgumentException("truncated percent escape");
          }
          int hi = Character.digit(text.charAt(i + 1), 16);
          int lo = Character.digit(text.charAt(i + 2), 16);
          if (hi < 0 || lo < 0 || text.charAt(i + 1) > 'f' || text.charAt(i + 2) > 'f') {
            throw new IllegalArgumentException("invalid percent escape");
          }
          out.write(hi << 4 | lo);
          i += 2;
        } else if (c == '/') {
          throw new IllegalArgumentException("value may not contain '/' (write %2F)");
        } else {
          if (Character.isSurrogate(c)) throw new IllegalArgumentException("non-BMP characters must be percent-encoded");
          byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
          out.write(b, 0, b.length);
        }
      }
      return out.toByteArray();
    }

    @Override public String toText(byte[] value) {
      StringBuilder sb = new StringBuilder();
      for (byte b : value) {
        int c = b & 0xFF;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
          sb.append((char) c);
        } else {
          sb.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
      }
      return sb.toString();
    }

    @Override public void validate(byte[] value) {
      if (value.length == 0) throw new IllegalArgumentException("empty value");
    }
  };

  static final ValueCodec ONION = new OnionCodec(10);
  static final ValueCodec ONION3 = new OnionCodec(35);

  /** I2P base64 (alphabet with '-' and '~'), padded; at least 386 bytes. */
  static final ValueCodec GARLIC64 = new ValueCodec() {
    private static final int MIN_BYTES = 386;

    @Override public byte[] toBytes(String text) {
      if (text.indexOf('+') >= 0 || text.indexOf('/') >= 0) throw new IllegalArgumentException("invalid garlic64 character");
      byte[] b;
      try {
        b = Base64.getDecoder().decode(text.replace('-', '+').replace('~', '/'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid garlic64: " + e.getMessage(), e);
      }
      validate(b);
      return b;
    }

    @Override public String toText(byte[] value) {
      return Base64.getEncoder().encodeToString(value).replace('+', '-').replace('/', '~');
    }

    @Override public void validate(byte[] value) {
      if (value.length < MIN_BYTES) throw new IllegalArgumentException("garlic64 shorter than " + MIN_BYTES + " bytes");
    }
  };

  /** I2P base32 address: 32 bytes, or at least 35 for encrypted lease sets. */
  static final ValueCodec GARLIC32 = new ValueCodec() {
    @Override public byte[] toBytes(String text) {
      byte[] b = Base32.decode(text, false);
      validate(b);
      return b;
    }

    @Override public String toText(byte[] value) {
      return Base32.encode(value);
    }

    @Override public void validate(byte[] value) {
      if (value.length != 32 && value.length < 35) throw new IllegalArgumentException("garlic32 must be 32 or at least 35 bytes");
    }
  };

  /** Tor onion: {@code base32(host):port}, the host of a fixed length, port 1..65535. */
  private static final class OnionCodec implements ValueCodec {
    private final int hostBytes;

    OnionCodec(int hostBytes) {
      this.hostBytes = hostBytes;
    }

    @Override public byte[] toBytes(String text) {
      int colon = text.indexOf(':');
      if (colon < 0) throw new IllegalArgumentException("onion address needs ':port'");
      String host = text.substring(0, colon).toLowerCase(Locale.ROOT);
      if (host.length() != (hostBytes * 8 + 4) / 5) throw new IllegalArgumentException("onion host must be " + (hostBytes * 8 + 4) / 5 + " base32 characters");
      byte[] h = Base32.decode(host, false);
      int port = parseDecimal(text.substring(colon + 1), 65535, "onion port");
      if (port == 0) throw new IllegalArgumentException("onion port must be at least 1");
      byte[] out = Arrays.copyOf(h, hostBytes + 2);
      out[hostBytes] = (byte) (port >>> 8);
      out[hostBytes + 1] = (byte) port;
      return out;
    }

    @Override public String toText(byte[] value) {
      int port = ((value[hostBytes] & 0xFF) << 8) | (value[hostBytes + 1] & 0xFF);
      return Base32.encode(Arrays.copyOf(value, hostBytes)) + ":" + port;
    }

    @Override public void validate(byte[] value) {
      if (value[hostBytes] == 0 && value[hostBytes + 1] == 0) throw new IllegalArgumentException("onion port must be at least 1");
    }
  }

  static int parseDecimal(String text, int max, String what) {
    if (text.isEmpty() || text.length() > 5) throw new IllegalArgumentException("invalid " + what + " '" + text + "'");
    int v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') throw new IllegalArgumentException("invalid " + what + " '" + text + "'");
      v = v * 10 + (c - '0');
    }
    if (v > max) throw new IllegalArgumentException(what + " out of range: " + text);
    return v;
  }

  static String strictUtf8(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("value is not valid UTF-8", e);
    }
  }
}
