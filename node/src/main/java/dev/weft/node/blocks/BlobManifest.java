package dev.weft.node.blocks;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The root block of a blob: its size, its chunk size and the sha2-256 of every chunk, in order.
 * All chunks have {@code chunkSize} bytes but the last, which has the rest (at least one byte); an
 * empty blob has no chunks. The blob's id is the hash of this encoding, so knowing the id is
 * enough to verify the manifest, and the manifest is enough to verify each chunk on its own
 * before it is stored.
 *
 * <p>Encoding (canonical: one encoding per manifest, checked on decode):
 * <pre>
 *   "WBM1"  uvarint(size)  uvarint(chunkSize)  uvarint(count)  count × 32-byte sha2-256
 * </pre>
 */
public final class BlobManifest {
  static final byte[] MAGIC = {'W', 'B', 'M', '1'};
  /** Smallest chunk: smaller chunks make manifests and per-chunk round trips dominate. */
  public static final int MIN_CHUNK_BYTES = 1024;

  private final long size;
  private final int chunkSize;
  private final byte[] hashes;
  private final byte[] encoded;
  private final BlobId id;

  private BlobManifest(long size, int chunkSize, byte[] hashes) {
    this.size = size;
    this.chunkSize = chunkSize;
    this.hashes = hashes;
    this.encoded = encodeBytes(size, chunkSize, hashes);
    this.id = BlobId.ofManifest(encoded);
  }

  /**
   * A manifest for {@code size} bytes in chunks of {@code chunkSize} with the given concatenated
   * chunk digests.
   */
  public static BlobManifest of(long size, int chunkSize, byte[] hashes) {
    if (size < 0) throw new IllegalArgumentException("negative size");
    if (chunkSize < MIN_CHUNK_BYTES) throw new IllegalArgumentException("chunk size " + chunkSize + " below " + MIN_CHUNK_BYTES);
    long count = chunkCount(size, chunkSize);
    if (hashes.length != count * BlobId.DIGEST_BYTES) throw new IllegalArgumentException("need " + count + " chunk hashes for " + size + " bytes");
    return new BlobManifest(size, chunkSize, hashes.clone());
  }

  /** Chunks {@code data} and hashes each chunk. */
  public static BlobManifest of(byte[] data, int chunkSize) {
    if (chunkSize < MIN_CHUNK_BYTES) throw new IllegalArgumentException("chunk size " + chunkSize + " below " + MIN_CHUNK_BYTES);
    int count = (int) chunkCount(data.length, chunkSize);
    byte[] hashes = new byte[count * BlobId.DIGEST_BYTES];
    for (int i = 0; i < count; i++) {
      int off = i * chunkSize;
      byte[] h = BlobId.sha256(data, off, Math.min(chunkSize, data.length - off));
      System.arraycopy(h, 0, hashes, i * BlobId.DIGEST_BYTES, BlobId.DIGEST_BYTES);
    }
    return new BlobManifest(data.length, chunkSize, hashes);
  }

  static long chunkCount(long size, int chunkSize) {
    return (size + chunkSize - 1) / chunkSize;
  }

  /**
   * Decodes a manifest within {@code limits}.
   *
   * @throws BlocksDecodeException if it is malformed, not canonical or over a limit
   */
  public static BlobManifest decode(byte[] b, BlocksConfig limits) throws BlocksDecodeException {
    if (b.length > limits.maxManifestBytes()) throw new BlocksDecodeException("manifest of " + b.length + " bytes exceeds " + limits.maxManifestBytes());
    WireReader r = new WireReader(b);
    byte[] magic = r.bytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) throw new BlocksDecodeException("not a blob manifest (bad magic)");
    long size = r.uvarint();
    long chunk = r.uvarint();
    long count = r.uvarint();
    if (size > limits.maxBlobBytes()) throw new BlocksDecodeException("blob of " + size + " bytes exceeds " + limits.maxBlobBytes());
    if (chunk < MIN_CHUNK_BYTES || chunk > limits.maxChunkBytes()) {
      throw new BlocksDecodeException("chunk size " + chunk + " outside [" + MIN_CHUNK_BYTES + ", " + limits.maxChunkBytes() + "]");
    }
    if (count != chunkCount(size, (int) chunk)) throw new BlocksDecodeException(count + " chunks cannot hold " + size + " bytes of " + chunk);
    if (count * BlobId.DIGEST_BYTES != r.remaining()) throw new BlocksDecodeException("manifest has " + r.remaining() + " hash bytes for " + count + " chunks");
    byte[] hashes = r.bytes((int) (count * BlobId.DIGEST_BYTES));
    return new BlobManifest(size, (int) chunk, hashes);
  }

  private static byte[] encodeBytes(long size, int chunkSize, byte[] hashes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(hashes.length + 24);
    out.writeBytes(MAGIC);
    dev.weft.p2p.multiformats.Varint.write(size, out);
    dev.weft.p2p.multiformats.Varint.write(chunkSize, out);
    dev.weft.p2p.multiformats.Varint.write(hashes.length / BlobId.DIGEST_BYTES, out);
    out.writeBytes(hashes);
    return out.toByteArray();
  }

  public BlobId id() {
    return id;
  }

  public byte[] encode() {
    return encoded.clone();
  }

  int encodedLength() {
    return encoded.length;
  }

  public long size() {
    return size;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int chunkCount() {
    return hashes.length / BlobId.DIGEST_BYTES;
  }

  /** Bytes of chunk {@code index}: the chunk size, or what is left for the last one. */
  public int chunkLength(int index) {
    checkIndex(index);
    long off = (long) index * chunkSize;
    return (int) Math.min(chunkSize, size - off);
  }

  public long chunkOffset(int index) {
    checkIndex(index);
    return (long) index * chunkSize;
  }

  /** Whether {@code data} is exactly chunk {@code index} (length and hash). */
  public boolean verifyChunk(int index, byte[] data) {
    if (index < 0 || index >= chunkCount() || data.length != chunkLength(index)) return false;
    return MessageDigest.isEqual(BlobId.sha256(data), Arrays.copyOfRange(hashes, index * BlobId.DIGEST_BYTES, (index + 1) * BlobId.DIGEST_BYTES));
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= chunkCount()) throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount());
  }

  @Override public boolean equals(Object o) {
    return o instanceof BlobManifest m && Arrays.equals(encoded, m.encoded);
  }

  @Override public int hashCode() {
    return id.hashCode();
  }

  @Override public String toString() {
    return "BlobManifest[" + id + ", " + size + " bytes, " + chunkCount() + " chunks of " + chunkSize + "]";
  }
}
