package dev.weft.p2p.multiformats;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash: {@code varint(code) varint(length) digest}. Supports identity (0x00) and sha2-256
 * (0x12) for hashing; decodes any code with a bounded digest.
 */
public final class Multihash {
  public static final int IDENTITY = 0x00;
  public static final int SHA2_256 = 0x12;
  /** Longest digest accepted when decoding: identity-hashed keys are at most 42 bytes in practice. */
  public static final int MAX_DIGEST_BYTES = 128;

  private final int code;
  private final byte[] digest;

  public Multihash(int code, byte[] digest) {
    if (code < 0) throw new IllegalArgumentException("negative multihash code");
    if (digest.length > MAX_DIGEST_BYTES) throw new IllegalArgumentException("digest too long: " + digest.length);
    if (code == SHA2_256 && digest.length != 32) throw new IllegalArgumentException("sha2-256 digest must be 32 bytes");
    this.code = code;
    this.digest = digest.clone();
  }

  public static Multihash sha256(byte[] data) {
    try {
      return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  public static Multihash identity(byte[] data) {
    return new Multihash(IDENTITY, data);
  }

  public int code() {
    return code;
  }

  public byte[] digest() {
    return digest.clone();
  }

  public byte[] bytes() {
    byte[] out = new byte[Varint.size(code) + Varint.size(digest.length) + digest.length];
    int o = Varint.write(code, out, 0);
    o = Varint.write(digest.length, out, o);
    System.arraycopy(digest, 0, out, o, digest.length);
    return out;
  }

  /** Decodes a whole multihash; trailing bytes are an error. */
  public static Multihash decode(byte[] bytes) {
    Varint.Decoded c = Varint.decode(bytes, 0);
    Varint.Decoded l = Varint.decode(bytes, c.length());
    int start = c.length() + l.length();
    if (c.value() > Integer.MAX_VALUE) throw new IllegalArgumentException("multihash code too large");
    if (l.value() != bytes.length - start) {
      throw new IllegalArgumentException("multihash length " + l.value() + " does not match " + (bytes.length - start) + " digest bytes");
    }
    return new Multihash((int) c.value(), Arrays.copyOfRange(bytes, start, bytes.length));
  }

  @Override public boolean equals(Object o) {
    return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
  }

  @Override public int hashCode() {
    return 31 * code + Arrays.hashCode(digest);
  }

  @Override public String toString() {
    return "Multihash(0x" + Integer.toHexString(code) + ", " + HexFormat.of().formatHex(digest) + ")";
  }
}
