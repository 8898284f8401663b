package dev.weft.node.blocks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs on disk: metadata in RocksDB ({@code DIR/meta}), bytes in one file per blob
 * ({@code DIR/data/<digest hex>.blob}) with chunk {@code i} at offset {@code i × chunkSize}, so a
 * partial download is a sparse file and a complete blob is a plain file that can be read, mapped or
 * copied as is.
 *
 * <p>Why files for the chunks and not RocksDB: a checkpoint is read and written whole and
 * sequentially, and served chunk by chunk at known offsets; RocksDB would compact every chunk at
 * least once more (write amplification on gigabytes) and hold them in its caches, for nothing a file
 * does not give. RocksDB keeps what must survive atomically: the manifest and the held-chunk bitmap.
 *
 * <p>Crash safety: a chunk's bytes are written before its bit; neither is synced per chunk (the
 * RocksDB WAL is not synced either). On {@link #resume}, every chunk the bitmap claims is hashed
 * again, and one whose bytes do not match (the OS lost them, the file was damaged) is downloaded
 * again. A completed blob's file is synced before it is marked complete.
 *
 * <p>Thread-safe: methods are synchronized, so a close can never race a native call.
 */
public final class BlobStore implements ChunkSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);

  static {
    RocksDB.loadLibrary();
  }

  private static final byte MANIFEST = 'm';
  private static final byte HELD = 'h';
  private static final byte COMPLETE = 'c';
  /** RocksDB's write buffer: metadata is small. */
  private static final long WRITE_BUFFER_BYTES = 2L << 20;

  private final Path dir;
  private final BlocksConfig config;
  private final Options options;
  private final RocksDB db;
  private final Map<BlobId, BlobManifest> manifests = new HashMap<>();
  private final Map<BlobId, BitSet> held = new HashMap<>();
  private final Map<BlobId, FileChannel> open = new HashMap<>();
  /** Read channels of blobs being served, least recently used closed first: serving must not reopen a file per chunk. */
  private final java.util.LinkedHashMap<BlobId, FileChannel> readers = new java.util.LinkedHashMap<>(16, 0.75f, true);
  static final int MAX_READERS = 64;
  private long reservedBytes;
  private boolean closed;

  private BlobStore(Path dir, BlocksConfig config) throws IOException, RocksDBException {
    this.dir = dir;
    this.config = config;
    Files.createDirectories(dir.resolve("data"));
    options = new Options().setCreateIfMissing(true).setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2).setMaxOpenFiles(64);
    db = RocksDB.open(options, dir.resolve("meta").toString());
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {MANIFEST}); it.isValid() && it.key()[0] == MANIFEST; it.next()) {
        try {
          BlobManifest m = BlobManifest.decode(it.value(), config);
          BlobId id = BlobId.fromDigest(java.util.Arrays.copyOfRange(it.key(), 1, it.key().length));
          if (!m.id().equals(id)) throw new BlocksDecodeException("manifest stored under another id");
          manifests.put(id, m);
          byte[] bits = db.get(key(HELD, id));
          held.put(id, bits == null ? new BitSet() : BitSet.valueOf(bits));
          reservedBytes += m.size();
        } catch (BlocksDecodeException | IllegalArgumentException e) {
          LOG.warn("skipping an unreadable blob manifest in {}: {}", dir, e.getMessage());
        }
      }
    }
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static BlobStore open(Path dir, BlocksConfig config) {
    try {
      return new BlobStore(dir, config);
    } catch (IOException | RocksDBException e) {
      throw new BlobStoreException("cannot open the blob store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static byte[] key(byte kind, BlobId id) {
    byte[] d = id.digest();
    byte[] k = new byte[1 + d.length];
    k[0] = kind;
    System.arraycopy(d, 0, k, 1, d.length);
    return k;
  }

  private Path file(BlobId id) {
    return dir.resolve("data").resolve(id.hex() + ".blob");
  }

  private void checkOpen() {
    if (closed) throw new BlobStoreException("the blob store is closed");
  }

  /** Stores {@code data} as a complete blob in chunks of {@link BlocksConfig#chunkBytes()}. */
  public synchronized BlobManifest put(byte[] data) {
    BlobManifest m = BlobManifest.of(data, config.chunkBytes());
    if (isComplete(m.id())) return m;
    begin(m);
    for (int i = 0; i < m.chunkCount(); i++) {
      int off = (int) m.chunkOffset(i);
      writeChunk(m.id(), i, java.util.Arrays.copyOfRange(data, off, off + m.chunkLength(i)));
    }
    return m;
  }

  /** Stores the file at {@code path} as a complete blob, reading it twice (hash, then copy), a chunk at a time. */
  public BlobManifest putFile(Path path) throws IOException {
    long size = Files.size(path);
    if (size > config.maxBlobBytes()) throw new BlobStoreException(path + " is " + size + " bytes, more than the largest blob (" + config.maxBlobBytes() + ")");
    int chunk = config.chunkBytes();
    int count = (int) BlobManifest.chunkCount(size, chunk);
    byte[] hashes = new byte[count * BlobId.DIGEST_BYTES];
    try (InputStream in = Files.newInputStream(path)) {
      for (int i = 0; i < count; i++) {
        byte[] b = in.readNBytes((int) Math.min(chunk, size - (long) i * chunk));
        System.arraycopy(BlobId.sha256(b), 0, hashes, i * BlobId.DIGEST_BYTES, BlobId.DIGEST_BYTES);
      }
    }
    BlobManifest m = BlobManifest.of(size, chunk, hashes);
    synchronized (this) {
      if (isComplete(m.id())) return m;
      begin(m);
    }
    try (InputStream in = Files.newInputStream(path)) {
      for (int i = 0; i < count; i++) {
        byte[] b = in.readNBytes(m.chunkLength(i));
        if (!m.verifyChunk(i, b)) throw new BlobStoreException(path + " changed while it was being stored");
        writeChunk(m.id(), i, b);
      }
    }
    return m;
  }

  /**
   * Starts holding {@code m} (a download, or a put): stores its manifest and reserves its size.
   * Idempotent.
   *
   * @throws BlobStoreException if the blob would take the store past its quota, or on disk errors
   */
  public synchronized void begin(BlobManifest m) {
    checkOpen();
    if (manifests.containsKey(m.id())) return;
    if (m.size() > config.maxBlobBytes()) throw new BlobStoreException("blob " + m.id() + " of " + m.size() + " bytes exceeds the largest blob (" + config.maxBlobBytes() + ")");
    if (reservedBytes + m.size() > config.storeQuotaBytes()) {
      throw new BlobStoreException("blob " + m.id() + " of " + m.size() + " bytes would take the store past its quota ("
          + reservedBytes + " of " + config.storeQuotaBytes() + " bytes used)");
    }
    try {
      db.put(key(MANIFEST, m.id()), m.encode());
      if (m.chunkCount() == 0) db.put(key(COMPLETE, m.id()), new byte[] {1});
    } catch (RocksDBException e) {
      throw new BlobStoreException("cannot record blob " + m.id() + ": " + e.getMessage(), e);
    }
    manifests.put(m.id(), m);
    held.put(m.id(), new BitSet());
    reservedBytes += m.size();
  }

  /**
   * Writes chunk {@code index} of {@code blob}; the caller has verified it (the
   * {@link DownloadScheduler} does; a put hashes it itself).
   */
  public synchronized void writeChunk(BlobId blob, int index, byte[] data) {
    checkOpen();
    BlobManifest m = manifests.get(blob);
    if (m == null) throw new BlobStoreException("unknown blob " + blob);
    if (data.length != m.chunkLength(index)) throw new BlobStoreException("chunk " + index + " of " + blob + " has the wrong length");
    BitSet bits = held.get(blob);
    if (bits.get(index)) return;
    try {
      FileChannel ch = channel(blob);
      ByteBuffer buf = ByteBuffer.wrap(data);
      long pos = m.chunkOffset(index);
      while (buf.hasRemaining()) pos += ch.write(buf, pos);
      bits.set(index);
      db.put(key(HELD, blob), bits.toByteArray());
      if (bits.cardinality() == m.chunkCount()) {
        ch.force(true);
        db.put(key(COMPLETE, blob), new byte[] {1});
        closeChannel(blob);
      }
    } catch (IOException | RocksDBException e) {
      throw new BlobStoreException("cannot write chunk " + index + " of " + blob + ": " + e.getMessage(), e);
    }
  }

  private FileChannel channel(BlobId blob) throws IOException {
    FileChannel ch = open.get(blob);
    if (ch == null) {
      ch = FileChannel.open(file(blob), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      open.put(blob, ch);
    }
    return ch;
  }

  private void closeChannel(BlobId blob) throws IOException {
    FileChannel ch = open.remove(blob);
    if (ch != null) ch.close();
  }

  /**
   * What a download of {@code blob} can start from: its manifest and the chunks held, each one
   * hashed again on disk. Empty when the blob is unknown.
   */
  public synchronized Optional<Resume> resume(BlobId blob) {
    checkOpen();
    BlobManifest m = manifests.get(blob);
    if (m == null) return Optional.empty();
    BitSet bits = held.get(blob);
    BitSet verified = new BitSet();
    int lost = 0;
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      byte[] data = readAt(blob, m, i);
      if (data != null && m.verifyChunk(i, data)) verified.set(i);
      else lost++;
    }
    if (lost > 0) {
      LOG.warn("{} of {} chunks of {} on disk did not verify and will be downloaded again", lost, bits.cardinality(), blob);
      held.put(blob, verified);
      try {
        db.put(key(HELD, blob), verified.toByteArray());
        db.delete(key(COMPLETE, blob));
      } catch (RocksDBException e) {
        throw new BlobStoreException("cannot update blob " + blob + ": " + e.getMessage(), e);
      }
    }
    return Optional.of(new Resume(m, (BitSet) verified.clone(), lost));
  }

  /** A partial (or complete) blob found in the store. {@code lost}: chunks that failed re-verification. */
  public record Resume(BlobManifest manifest, BitSet held, int lost) {}

  private byte[] readAt(BlobId blob, BlobManifest m, int index) {
    Path f = file(blob);
    try {
      FileChannel ch = open.get(blob);
      if (ch == null) ch = readers.get(blob);
      if (ch == null) {
        if (!Files.exists(f)) return null;
        ch = FileChannel.open(f, StandardOpenOption.READ);
        readers.put(blob, ch);
        if (readers.size() > MAX_READERS) {
          var eldest = readers.entrySet().iterator().next();
          readers.remove(eldest.getKey());
          eldest.getValue().close();
        }
      }
      ByteBuffer buf = ByteBuffer.allocate(m.chunkLength(index));
      long pos = m.chunkOffset(index);
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) return null;
        pos += n;
      }
      return buf.array();
    } catch (IOException e) {
      LOG.warn("cannot read chunk {} of {}: {}", index, blob, e.toString());
      return null;
    }
  }

  private void closeReader(BlobId blob) throws IOException {
    FileChannel ch = readers.remove(blob);
    if (ch != null) ch.close();
  }

  @Override public synchronized byte[] manifestBytes(BlobId blob) {
    if (closed) return null;
    BlobManifest m = manifests.get(blob);
    return m == null ? null : m.encode();
  }

  @Override public synchronized byte[] chunk(BlobId blob, int index) {
    if (closed) return null;
    BlobManifest m = manifests.get(blob);
    if (m == null || index < 0 || index >= m.chunkCount() || !held.get(blob).get(index)) return null;
    return readAt(blob, m, index);
  }

  public synchronized Optional<BlobManifest> manifest(BlobId blob) {
    return Optional.ofNullable(manifests.get(blob));
  }

  public synchronized boolean isComplete(BlobId blob) {
    BlobManifest m = manifests.get(blob);
    return m != null && held.get(blob).cardinality() == m.chunkCount();
  }

  /** Chunks of {@code blob} held (per the bitmap; {@link #resume} re-verifies). */
  public synchronized int chunksHeld(BlobId blob) {
    BitSet b = held.get(blob);
    return b == null ? 0 : b.cardinality();
  }

  /** A complete blob's whole content. For blobs that fit in memory (manifests of runs, shards in tests). */
  public byte[] read(BlobId blob) {
    Path p = path(blob);
    try {
      long size;
      synchronized (this) {
        size = manifests.get(blob).size();
      }
      if (size > Integer.MAX_VALUE - 16) throw new BlobStoreException("blob " + blob + " is too large to read into memory; use path()");
      byte[] b = Files.readAllBytes(p);
      return b.length == size ? b : java.util.Arrays.copyOf(b, (int) size);
    } catch (IOException e) {
      throw new BlobStoreException("cannot read blob " + blob + ": " + e.getMessage(), e);
    }
  }

  /** The file of a complete blob. */
  public synchronized Path path(BlobId blob) {
    if (!isComplete(blob)) throw new BlobStoreException("blob " + blob + " is not complete here");
    Path p = file(blob);
    if (manifests.get(blob).size() == 0 && !Files.exists(p)) {
      try {
        Files.createFile(p);
      } catch (IOException e) {
        throw new BlobStoreException("cannot create " + p + ": " + e.getMessage(), e);
      }
    }
    return p;
  }

  /** Every complete blob. */
  public synchronized List<BlobId> complete() {
    List<BlobId> out = new ArrayList<>();
    for (BlobId id : manifests.keySet()) if (isComplete(id)) out.add(id);
    out.sort(null);
    return out;
  }

  /** Bytes reserved by every blob held, complete or not. */
  public synchronized long reservedBytes() {
    return reservedBytes;
  }

  /** Forgets {@code blob} and deletes its file. */
  public synchronized void delete(BlobId blob) {
    checkOpen();
    BlobManifest m = manifests.remove(blob);
    if (m == null) return;
    held.remove(blob);
    reservedBytes -= m.size();
    try {
      closeChannel(blob);
      closeReader(blob);
      db.delete(key(MANIFEST, blob));
      db.delete(key(HELD, blob));
      db.delete(key(COMPLETE, blob));
      Files.deleteIfExists(file(blob));
    } catch (IOException | RocksDBException e) {
      throw new BlobStoreException("cannot delete blob " + blob + ": " + e.getMessage(), e);
    }
  }

  @Override public synchronized void close() {
    if (closed) return;
    closed = true;
    for (FileChannel ch : open.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing a blob file: {}", e.toString());
      }
    }
    open.clear();
    for (FileChannel ch : readers.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing a blob file: {}", e.toString());
      }
    }
    readers.clear();
    db.close();
    options.close();
  }

  /** For tests: the data file of {@code blob} (it may be partial). */
  Path dataFile(BlobId blob) {
    return file(blob);
  }

}
