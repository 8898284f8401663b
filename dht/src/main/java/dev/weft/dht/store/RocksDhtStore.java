package dev.weft.dht.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.dht.pb.WeftRecordProto;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Varint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DhtStore} in RocksDB, one column family per kind:
 * <ul>
 *   <li>{@code records}: record key → {@code StoredRecord} protobuf</li>
 *   <li>{@code providers}: uvarint(key length) ‖ key ‖ provider PeerId bytes → {@code StoredProvider}
 *       (the length prefix makes one key's providers a contiguous, unambiguous range)</li>
 *   <li>{@code peers}: PeerId bytes → {@code StoredPeer}</li>
 * </ul>
 * Writes are not synced individually (the WAL is): a crash loses at most what the OS had not
 * written, and the DHT republishes anyway. An entry that fails to decode is skipped and logged,
 * never fatal. Methods are synchronized so that a close from another thread can never race a
 * native call (RocksDB use-after-close would crash the JVM); after close they throw.
 */
public final class RocksDhtStore implements DhtStore {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDhtStore.class);

  static {
    RocksDB.loadLibrary();
  }

  /** One column family's memtable. */
  static final long MEMTABLE_BYTES = 4L << 20;
  /** Every memtable together. */
  static final long MEMTABLE_BUDGET_BYTES = 16L << 20;

  /** Block cache shared by the families: the DHT's hot set is small, RocksDB's default is 32 MiB. */
  static final long BLOCK_CACHE_BYTES = 8L << 20;

  private final DBOptions dbOptions;
  private final LRUCache blockCache;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions = new WriteOptions();
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle records;
  private final ColumnFamilyHandle providers;
  private final ColumnFamilyHandle peers;
  private long recordCount;
  private long providerCount;
  private boolean closed;

  private RocksDhtStore(Path dir) throws RocksDBException {
    // Memtables bounded: with RocksDB's defaults (64 MiB per column family, two of them) a flood of
    // writes and evictions holds ~100 MiB of native memory before the first flush, although the
    // live data is a few MiB (DhtFloodBench measured +94 MiB RSS). 4 MiB per family, 16 MiB in all.
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setMaxOpenFiles(256)
        .setDbWriteBufferSize(MEMTABLE_BUDGET_BYTES).setMaxTotalWalSize(4 * MEMTABLE_BUDGET_BYTES);
    blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    cfOptions = new ColumnFamilyOptions().setWriteBufferSize(MEMTABLE_BYTES).setMaxWriteBufferNumber(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));
    List<ColumnFamilyDescriptor> cfs = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor("records".getBytes(), cfOptions),
        new ColumnFamilyDescriptor("providers".getBytes(), cfOptions),
        new ColumnFamilyDescriptor("peers".getBytes(), cfOptions));
    db = RocksDB.open(dbOptions, dir.toString(), cfs, handles);
    records = handles.get(1);
    providers = handles.get(2);
    peers = handles.get(3);
    recordCount = count(records);
    providerCount = count(providers);
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static RocksDhtStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      return new RocksDhtStore(dir);
    } catch (Exception e) {
      throw new DhtStoreException("cannot open DHT store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private long count(ColumnFamilyHandle cf) {
    long n = 0;
    checkOpen();
    try (RocksIterator it = db.newIterator(cf)) {
      for (it.seekToFirst(); it.isValid(); it.next()) n++;
    }
    return n;
  }

  private void checkOpen() {
    if (closed) throw new DhtStoreException("DHT store is closed", null);
  }

  private void put(ColumnFamilyHandle cf, byte[] k, byte[] v) {
    checkOpen();
    try {
      db.put(cf, writeOptions, k, v);
    } catch (RocksDBException e) {
      throw new DhtStoreException("write failed: " + e.getMessage(), e);
    }
  }

  private byte[] get(ColumnFamilyHandle cf, byte[] k) {
    checkOpen();
    try {
      return db.get(cf, k);
    } catch (RocksDBException e) {
      throw new DhtStoreException("read failed: " + e.getMessage(), e);
    }
  }

  private void delete(ColumnFamilyHandle cf, byte[] k) {
    checkOpen();
    try {
      db.delete(cf, writeOptions, k);
    } catch (RocksDBException e) {
      throw new DhtStoreException("delete failed: " + e.getMessage(), e);
    }
  }

  @Override public synchronized void putRecord(byte[] key, StoredRecord r) {
    if (get(records, key) == null) recordCount++;
    WeftRecordProto.StoredRecord.Builder b = WeftRecordProto.StoredRecord.newBuilder()
        .setValue(ByteString.copyFrom(r.value())).setReceivedAtMillis(r.receivedAtEpochMillis()).setOwn(r.own());
    if (r.storedBy() != null) b.setStoredBy(ByteString.copyFrom(r.storedBy().bytes()));
    put(records, key, b.build().toByteArray());
  }

  @Override public synchronized Optional<StoredRecord> getRecord(byte[] key) {
    byte[] v = get(records, key);
    return v == null ? Optional.empty() : Optional.ofNullable(decodeRecord(v));
  }

  private static StoredRecord decodeRecord(byte[] v) {
    try {
      WeftRecordProto.StoredRecord r = WeftRecordProto.StoredRecord.parseFrom(v);
      PeerId by = r.getStoredBy().isEmpty() ? null : PeerId.fromBytes(r.getStoredBy().toByteArray());
      return new StoredRecord(r.getValue().toByteArray(), r.getReceivedAtMillis(), r.getOwn(), by);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      LOG.warn("skipping undecodable stored record: {}", e.getMessage());
      return null;
    }
  }

  @Override public synchronized void deleteRecord(byte[] key) {
    if (get(records, key) != null) recordCount--;
    delete(records, key);
  }

  @Override public synchronized void forEachRecord(BiConsumer<byte[], StoredRecord> visitor) {
    checkOpen();
    try (RocksIterator it = db.newIterator(records)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        StoredRecord r = decodeRecord(it.value());
        if (r != null) visitor.accept(it.key(), r);
      }
    }
  }

  @Override public synchronized long recordCount() {
    return recordCount;
  }

  private static byte[] providerPrefix(byte[] key) {
    byte[] p = new byte[Varint.size(key.length) + key.length];
    int o = Varint.write(key.length, p, 0);
    System.arraycopy(key, 0, p, o, key.length);
    return p;
  }

  private static byte[] providerKey(byte[] key, PeerId provider) {
    byte[] prefix = providerPrefix(key);
    byte[] id = provider.bytes();
    byte[] out = Arrays.copyOf(prefix, prefix.length + id.length);
    System.arraycopy(id, 0, out, prefix.length, id.length);
    return out;
  }

  @Override public synchronized void putProvider(byte[] key, ProviderRecord p) {
    byte[] k = providerKey(key, p.provider());
    if (get(providers, k) == null) providerCount++;
    WeftRecordProto.StoredProvider.Builder b = WeftRecordProto.StoredProvider.newBuilder().setReceivedAtMillis(p.receivedAtEpochMillis());
    for (byte[] a : p.addrs()) b.addAddrs(ByteString.copyFrom(a));
    put(providers, k, b.build().toByteArray());
  }

  @Override public synchronized List<ProviderRecord> providers(byte[] key, int limit) {
    byte[] prefix = providerPrefix(key);
    List<ProviderRecord> out = new ArrayList<>();
    checkOpen();
    try (RocksIterator it = db.newIterator(providers)) {
      for (it.seek(prefix); it.isValid() && out.size() < limit; it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) break;
        ProviderRecord p = decodeProvider(Arrays.copyOfRange(k, prefix.length, k.length), it.value());
        if (p != null) out.add(p);
      }
    }
    return out;
  }

  private static ProviderRecord decodeProvider(byte[] peerBytes, byte[] v) {
    try {
      WeftRecordProto.StoredProvider sp = WeftRecordProto.StoredProvider.parseFrom(v);
      return new ProviderRecord(PeerId.fromBytes(peerBytes), sp.getAddrsList().stream().map(ByteString::toByteArray).toList(), sp.getReceivedAtMillis());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      LOG.warn("skipping undecodable provider record: {}", e.getMessage());
      return null;
    }
  }

  @Override public synchronized void deleteProvider(byte[] key, PeerId provider) {
    byte[] k = providerKey(key, provider);
    if (get(providers, k) != null) providerCount--;
    delete(providers, k);
  }

  @Override public synchronized void forEachProvider(BiConsumer<byte[], ProviderRecord> visitor) {
    checkOpen();
    try (RocksIterator it = db.newIterator(providers)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] k = it.key();
        try {
          Varint.Decoded len = Varint.decode(k, 0);
          int start = len.length();
          int end = start + (int) len.value();
          if (len.value() > k.length - start) throw new IllegalArgumentException("bad key length");
          ProviderRecord p = decodeProvider(Arrays.copyOfRange(k, end, k.length), it.value());
          if (p != null) visitor.accept(Arrays.copyOfRange(k, start, end), p);
        } catch (IllegalArgumentException e) {
          LOG.warn("skipping provider entry with a malformed key: {}", e.getMessage());
        }
      }
    }
  }

  @Override public synchronized long providerCount() {
    return providerCount;
  }

  @Override public synchronized void putPeer(StoredPeer p) {
    WeftRecordProto.StoredPeer.Builder b = WeftRecordProto.StoredPeer.newBuilder().setLastSeenMillis(p.lastSeenEpochMillis());
    for (byte[] a : p.addrs()) b.addAddrs(ByteString.copyFrom(a));
    put(peers, p.peer().bytes(), b.build().toByteArray());
  }

  @Override public synchronized void deletePeer(PeerId peer) {
    delete(peers, peer.bytes());
  }

  @Override public synchronized List<StoredPeer> peers() {
    List<StoredPeer> out = new ArrayList<>();
    checkOpen();
    try (RocksIterator it = db.newIterator(peers)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        try {
          WeftRecordProto.StoredPeer sp = WeftRecordProto.StoredPeer.parseFrom(it.value());
          out.add(new StoredPeer(PeerId.fromBytes(it.key()), sp.getAddrsList().stream().map(ByteString::toByteArray).toList(), sp.getLastSeenMillis()));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
          LOG.warn("skipping undecodable stored peer: {}", e.getMessage());
        }
      }
    }
    return out;
  }

  /** Bytes the database occupies on disk (SST files plus WAL), after a flush. */
  public synchronized long diskBytes(Path dir) {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, handles);
      db.compactRange(records);
      db.compactRange(providers);
      try (var files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
    } catch (Exception e) {
      throw new DhtStoreException("cannot measure store: " + e.getMessage(), e);
    }
  }

  @Override public synchronized void close() {
    if (closed) return;
    closed = true;
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, handles);
    } catch (RocksDBException e) {
      LOG.warn("flush on close failed: {}", e.getMessage());
    }
    for (ColumnFamilyHandle h : handles) h.close();
    db.close();
    writeOptions.close();
    cfOptions.close();
    dbOptions.close();
    blockCache.close();
  }
}
