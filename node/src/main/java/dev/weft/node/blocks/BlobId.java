package dev.weft.node.blocks;

import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.multiformats.Multihash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of a blob: the sha2-256 of its {@link BlobManifest} encoding (the Merkle root over its
 * chunk hashes). Written as a CIDv1 (raw codec, base32, {@code bafkrei...}); the DHT provider key
 * is the multihash. Immutable; equal when the digests are equal.
 */
public final class BlobId implements Comparable<BlobId> {
  public static final int DIGEST_BYTES = 32;

  private final byte[] digest;

  private BlobId(byte[] digest) {
    this.digest = digest;
  }

  /** The id of a blob whose manifest encodes to {@code manifestBytes}. */
  public static BlobId ofManifest(byte[] manifestBytes) {
    return new BlobId(sha256(manifestBytes));
  }

  /** From a 32-byte digest. */
  public static BlobId fromDigest(byte[] digest) {
    if (digest.length != DIGEST_BYTES) throw new IllegalArgumentException("a blob id is a 32-byte sha2-256 digest, got " + digest.length + " bytes");
    return new BlobId(digest.clone());
  }

  /**
   * Parses the CID text form.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static BlobId parse(String text) {
    Cid cid;
    try {
      cid = Cid.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a blob CID: '" + text + "' (" + e.getMessage() + ")");
    }
    if (cid.version() != 1 || cid.codec() != Cid.RAW || cid.multihash().code() != Multihash.SHA2_256
        || cid.multihash().digest().length != DIGEST_BYTES) {
      throw new IllegalArgumentException("not a blob CID (CIDv1, raw, sha2-256): '" + text + "'");
    }
    return new BlobId(cid.multihash().digest());
  }

  public byte[] digest() {
    return digest.clone();
  }

  /** The multihash bytes: the DHT provider key. */
  public byte[] multihash() {
    return new Multihash(Multihash.SHA2_256, digest).bytes();
  }

  public Cid cid() {
    return Cid.of(Cid.RAW, new Multihash(Multihash.SHA2_256, digest));
  }

  /** Lower-case hex of the digest: file names. */
  public String hex() {
    return HexFormat.of().formatHex(digest);
  }

  /** Whether {@code data} hashes to this id. */
  public boolean matches(byte[] data) {
    return MessageDigest.isEqual(digest, sha256(data));
  }

  static byte[] sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  static byte[] sha256(byte[] data, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, offset, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  @Override public String toString() {
    return cid().toString();
  }

  @Override public boolean equals(Object o) {
    return o instanceof BlobId b && Arrays.equals(digest, b.digest);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override public int compareTo(BlobId o) {
    return Arrays.compareUnsigned(digest, o.digest);
  }
}
