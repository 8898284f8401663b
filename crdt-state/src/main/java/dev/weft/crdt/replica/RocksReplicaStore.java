package dev.weft.crdt.replica;

import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.CrdtCodec;
import dev.weft.p2p.api.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A replica's state and delta log in RocksDB, one write batch per call (so a delta and the state
 * it produced land together or not at all). Key layout, one byte of prefix each:
 * {@code d ‖ len(writer) ‖ writer ‖ seq (8 bytes BE)} → signed delta; {@code s ‖ key} → canonical
 * value; {@code c ‖ writer} → covered prefix (8 bytes BE); {@code e ‖ writer} → equivocation
 * evidence. Writes go through the WAL; {@code syncWrites} also fsyncs each batch (survives power
 * loss, not just a killed process). Records read back are decoded with the local limits; a record
 * that does not decode fails {@link #load} (a corrupt store is an error to report, not to guess at).
 */
public final class RocksReplicaStore implements ReplicaStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private long bytesWritten;
  private long batches;

  public RocksReplicaStore(Path dir, boolean syncWrites) {
    try {
      Files.createDirectories(dir);
      this.options = new Options().setCreateIfMissing(true);
      this.db = RocksDB.open(options, dir.toString());
      this.writeOptions = new WriteOptions().setSync(syncWrites);
    } catch (RocksDBException | java.io.IOException e) {
      throw new IllegalStateException("cannot open replica store at " + dir + ": " + e.getMessage(), e);
    }
  }

  static byte[] deltaKey(PeerId writer, long seq) {
    byte[] w = writer.bytes();
    return ByteBuffer.allocate(2 + w.length + 8).put((byte) 'd').put((byte) w.length).put(w).putLong(seq).array();
  }

  static byte[] prefixed(char p, byte[] rest) {
    byte[] k = new byte[rest.length + 1];
    k[0] = (byte) p;
    System.arraycopy(rest, 0, k, 1, rest.length);
    return k;
  }

  static byte[] stateKey(String key) {
    return prefixed('s', key.getBytes(StandardCharsets.UTF_8));
  }

  private void write(WriteBatch b) {
    try {
      bytesWritten += b.getDataSize();
      batches++;
      db.write(writeOptions, b);
    } catch (RocksDBException e) {
      throw new IllegalStateException("replica store write failed: " + e.getMessage(), e);
    }
  }

  @Override public void accepted(SignedDelta delta, Crdt newValue, long writerContiguous) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(deltaKey(delta.writer(), delta.seq()), delta.encoded());
      if (newValue != null) b.put(stateKey(delta.key()), CrdtCodec.encode(newValue));
      b.put(prefixed('c', delta.writer().bytes()), ByteBuffer.allocate(8).putLong(writerContiguous).array());
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void covered(PeerId writer, long contiguous) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(prefixed('c', writer.bytes()), ByteBuffer.allocate(8).putLong(contiguous).array());
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void rebuilt(Map<String, Crdt> state, Equivocation evidence) {
    try (WriteBatch b = new WriteBatch()) {
      b.deleteRange(new byte[] {'s'}, new byte[] {'t'});
      for (Map.Entry<String, Crdt> e : state.entrySet()) b.put(stateKey(e.getKey()), CrdtCodec.encode(e.getValue()));
      b.put(prefixed('e', evidence.first().writer().bytes()), evidence.encode().toByteArray());
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void compacted(List<SignedDelta> dropped) {
    try (WriteBatch b = new WriteBatch()) {
      for (SignedDelta d : dropped) b.delete(deltaKey(d.writer(), d.seq()));
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public Snapshot load() {
    List<SignedDelta> deltas = new ArrayList<>();
    Map<String, Crdt> state = new TreeMap<>();
    Map<PeerId, Long> contiguous = new HashMap<>();
    List<Equivocation> evidence = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] k = it.key();
        byte[] v = it.value();
        switch (k[0]) {
          case 'd' -> deltas.add(SignedDelta.decode(v, DecodeLimits.local()));
          case 's' -> state.put(new String(k, 1, k.length - 1, StandardCharsets.UTF_8), CrdtCodec.decode(v, DecodeLimits.local()));
          case 'c' -> contiguous.put(PeerId.fromBytes(Arrays.copyOfRange(k, 1, k.length)), ByteBuffer.wrap(v).getLong());
          case 'e' -> evidence.add(Equivocation.decode(dev.weft.crdt.type.Bytes.of(v), DecodeLimits.local()));
          default -> throw new IllegalStateException("unknown record prefix " + k[0] + " in replica store");
        }
      }
    } catch (MalformedEncodingException | IllegalArgumentException e) {
      throw new IllegalStateException("corrupt replica store: " + e.getMessage(), e);
    }
    return new Snapshot(deltas, state, contiguous, evidence);
  }

  /** Bytes of write-batch data handed to RocksDB (what the WAL records), and batches. */
  public long bytesWritten() {
    return bytesWritten;
  }

  public long batches() {
    return batches;
  }

  /** Flushes memtables so on-disk size reflects what was written (benchmarks). */
  public void flush() {
    try (org.rocksdb.FlushOptions f = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(f);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
