package dev.weft.dht.keyspace;

import dev.weft.p2p.api.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A point in the 256-bit Kademlia keyspace: the SHA-256 of a key or of a PeerId's bytes
 * (kad-dht spec, "Distance"). Distances are XOR of two points, compared as unsigned big-endian
 * integers. Immutable.
 */
public final class KadKey implements Comparable<KadKey> {
  /** Bytes in a point: SHA-256 output. */
  public static final int BYTES = 32;
  /** Bits in a point, and so the number of possible common-prefix lengths below 256. */
  public static final int BITS = BYTES * 8;

  private final byte[] bytes;
  private final int hash;

  private KadKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The point of an arbitrary key (record key, multihash of a provider key). */
  public static KadKey ofKey(byte[] key) {
    return new KadKey(sha256(key));
  }

  /**
   * The point of a peer. Cached (bounded, thread-safe): every decoded message names up to 40
   * peers, and hashing each again dominated the 500-node simulation's profile.
   */
  public static KadKey ofPeer(PeerId peer) {
    KadKey k = PEER_CACHE.get(peer);
    if (k == null) {
      k = ofKey(peer.bytes());
      if (PEER_CACHE.size() >= PEER_CACHE_SIZE) PEER_CACHE.clear();
      PEER_CACHE.put(peer, k);
    }
    return k;
  }

  /** Peers whose points are cached; beyond it the cache starts over (cheap, and a miss only costs a hash). */
  static final int PEER_CACHE_SIZE = 50_000;
  private static final java.util.concurrent.ConcurrentHashMap<PeerId, KadKey> PEER_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** Wraps an existing 32-byte point (for example a random refresh target). */
  public static KadKey ofPoint(byte[] point) {
    if (point.length != BYTES) throw new IllegalArgumentException("a point has 32 bytes, not " + point.length);
    return new KadKey(point.clone());
  }

  /** XOR distance to {@code other}, as a point. */
  public KadKey distance(KadKey other) {
    byte[] d = new byte[BYTES];
    for (int i = 0; i < BYTES; i++) d[i] = (byte) (bytes[i] ^ other.bytes[i]);
    return new KadKey(d);
  }

  /** Compares the distances of {@code a} and {@code b} to this point without allocating. */
  public int compareDistance(KadKey a, KadKey b) {
    for (int i = 0; i < BYTES; i++) {
      int da = (a.bytes[i] ^ bytes[i]) & 0xFF;
      int db = (b.bytes[i] ^ bytes[i]) & 0xFF;
      if (da != db) return Integer.compare(da, db);
    }
    return 0;
  }

  /** Leading bits this point shares with {@code other}: 256 only for the same point. */
  public int commonPrefixLength(KadKey other) {
    for (int i = 0; i < BYTES; i++) {
      int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
      if (x != 0) return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
    }
    return BITS;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Bit {@code i} counted from the most significant bit of byte 0. */
  public boolean bit(int i) {
    return (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0;
  }

  /**
   * A point sharing exactly {@code cpl} leading bits with this one (bit {@code cpl} flipped,
   * the rest from {@code randomTail}): a refresh target that falls into bucket {@code cpl}.
   */
  public KadKey withCommonPrefix(int cpl, byte[] randomTail) {
    if (cpl < 0 || cpl >= BITS) throw new IllegalArgumentException("cpl out of range: " + cpl);
    byte[] p = randomTail.clone();
    if (p.length != BYTES) throw new IllegalArgumentException("tail must have 32 bytes");
    for (int i = 0; i < cpl; i++) setBit(p, i, bit(i));
    setBit(p, cpl, !bit(cpl));
    return new KadKey(p);
  }

  private static void setBit(byte[] p, int i, boolean v) {
    int mask = 0x80 >>> (i & 7);
    if (v) p[i >>> 3] |= (byte) mask;
    else p[i >>> 3] &= (byte) ~mask;
  }

  @Override public int compareTo(KadKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override public boolean equals(Object o) {
    return o instanceof KadKey k && Arrays.equals(k.bytes, bytes);
  }

  @Override public int hashCode() {
    return hash;
  }

  @Override public String toString() {
    return HexFormat.of().formatHex(bytes, 0, 6) + "…";
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
