package dev.weft.node.round.msg;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: value hashes, state roots, blob CIDs, message ids. */
public record Digest(byte[] bytes) implements Comparable<Digest> {
  public static final int BYTES = 32;
  public static final Digest ZERO = new Digest(new byte[BYTES]);

  public Digest {
    if (bytes == null || bytes.length != BYTES) throw new IllegalArgumentException("digest must be 32 bytes");
    bytes = bytes.clone();
  }

  public static Digest of(byte[]... parts) {
    MessageDigest md = sha256();
    for (byte[] p : parts) md.update(p);
    return new Digest(md.digest());
  }

  public static Digest of(ByteString b) {
    return of(b.toByteArray());
  }

  /** Parses a wire digest. @throws IllegalArgumentException if it is not 32 bytes */
  public static Digest from(ByteString b) {
    return new Digest(b.toByteArray());
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public ByteString toByteString() {
    return ByteString.copyFrom(bytes);
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(Digest o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex().substring(0, 12);
  }
}
