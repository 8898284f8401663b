package dev.weft.p2p.multiformats;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A content identifier (multiformats/cid.md). CIDv0 is a bare sha2-256 multihash of a dag-pb node
 * (text: base58btc, {@code Qm...}); CIDv1 is {@code <varint 1><varint codec><multihash>} (text:
 * multibase, base32 {@code b...} by default). Immutable; equal when their bytes are equal.
 */
public final class Cid implements Comparable<Cid> {
  /** Multicodec of raw bytes. */
  public static final long RAW = 0x55;
  /** Multicodec of a MerkleDAG protobuf node; the implied codec of CIDv0. */
  public static final long DAG_PB = 0x70;
  /** Multicodec of a libp2p public key: the codec of peer ids written as CIDs. */
  public static final long LIBP2P_KEY = 0x72;

  /** CIDv0 text is always this long ({@code Qm} + 44 base58 characters). */
  private static final int V0_TEXT_LENGTH = 46;
  private static final int V0_BYTES = 34;

  private final int version;
  private final long codec;
  private final Multihash multihash;
  private final byte[] bytes;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    this.bytes = version == 0 ? multihash.bytes() : v1Bytes(codec, multihash);
  }

  /** A CIDv1. */
  public static Cid of(long codec, Multihash multihash) {
    if (codec < 0) throw new IllegalArgumentException("negative codec");
    return new Cid(1, codec, multihash);
  }

  /** A CIDv0: the multihash must be a 32-byte sha2-256. */
  public static Cid v0(Multihash multihash) {
    if (multihash.code() != Multihash.SHA2_256) throw new IllegalArgumentException("CIDv0 needs a sha2-256 multihash");
    return new Cid(0, DAG_PB, multihash);
  }

  /** The CIDv1 of {@code data} hashed with sha2-256. */
  public static Cid sha256(long codec, byte[] data) {
    return of(codec, Multihash.sha256(data));
  }

  /**
   * Decodes binary CID bytes (the whole array).
   *
   * @throws IllegalArgumentException if they are not a CIDv0 or CIDv1
   */
  public static Cid decode(byte[] bytes) {
    if (bytes.length == V0_BYTES && bytes[0] == Multihash.SHA2_256 && bytes[1] == 32) {
      return v0(Multihash.decode(bytes));
    }
    Varint.Decoded version = Varint.decode(bytes, 0);
    if (version.value() != 1) throw new IllegalArgumentException("unsupported CID version " + version.value());
    Varint.Decoded codec = Varint.decode(bytes, version.length());
    int start = version.length() + codec.length();
    return of(codec.value(), Multihash.decode(Arrays.copyOfRange(bytes, start, bytes.length)));
  }

  /**
   * Parses the text form: CIDv0 ({@code Qm...}, 46 characters) or a multibase CIDv1.
   *
   * @throws IllegalArgumentException on anything else, including a multibase-encoded CIDv0
   */
  public static Cid parse(String text) {
    if (text.length() == V0_TEXT_LENGTH && text.startsWith("Qm")) {
      Cid cid = decode(Base58.decode(text));
      if (cid.version != 0) throw new IllegalArgumentException("Qm... text is not a CIDv0");
      return cid;
    }
    byte[] bytes = Multibase.decode(text);
    if (bytes.length > 0 && bytes[0] == Multihash.SHA2_256) {
      throw new IllegalArgumentException("a multibase CID may not start with 0x12 (CIDv0 is never multibase-encoded)");
    }
    return decode(bytes);
  }

  public int version() {
    return version;
  }

  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The same content as a CIDv1 (a CIDv1 returns itself). */
  public Cid toV1() {
    return version == 1 ? this : of(codec, multihash);
  }

  /** Text in the given multibase; a CIDv0 is always base58btc without prefix. */
  public String toString(Multibase.Base base) {
    return version == 0 ? Base58.encode(bytes) : Multibase.encode(base, bytes);
  }

  /** CIDv0 as base58btc, CIDv1 as base32 ({@code b...}). */
  @Override public String toString() {
    return toString(Multibase.Base.BASE32);
  }

  private static byte[] v1Bytes(long codec, Multihash mh) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(1, out);
    Varint.write(codec, out);
    byte[] m = mh.bytes();
    out.write(m, 0, m.length);
    return out.toByteArray();
  }

  @Override public int compareTo(Cid o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Cid c && Arrays.equals(c.bytes, bytes);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
