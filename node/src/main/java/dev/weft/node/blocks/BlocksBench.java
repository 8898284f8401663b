package dev.weft.node.blocks;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.InMemoryPeerStore;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Block-exchange throughput on loopback: one blob downloaded from 1, 2, 4... providers, each
 * serving at most {@code rate} bytes per second (real TCP + Noise + Yamux hosts in this JVM), so
 * the figure shows how well the scheduler spreads a download over providers, not how fast
 * loopback is. A last row downloads from one unlimited provider: the ceiling of this machine.
 */
public final class BlocksBench {
  /** One measured download. */
  public record Row(int providers, long rateBytesPerSecond, long bytes, double seconds, int chunks, List<Integer> servedPerProvider) {
    public double mibPerSecond() {
      return bytes / seconds / (1 << 20);
    }
  }

  private BlocksBench() {}

  /** Runs one download per entry of {@code providerCounts} (and the unlimited one) and returns the rows. */
  public static List<Row> run(List<Integer> providerCounts, long rate, int blobBytes, int chunkBytes) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int n : providerCounts) rows.add(once(n, rate, blobBytes, chunkBytes, 10L * n));
    rows.add(once(1, 0, blobBytes, chunkBytes, 999));
    return rows;
  }

  static Row once(int providers, long rate, int blobBytes, int chunkBytes, long seedBase) throws Exception {
    Path dir = Files.createTempDirectory("weft-blocks-bench-");
    BlocksConfig config = BlocksConfig.defaults().withChunkBytes(chunkBytes).withRequestTimeoutMillis(30_000);
    byte[] data = new byte[blobBytes];
    new Random(seedBase).nextBytes(data);
    List<AutoCloseable> close = new ArrayList<>();
    try {
      List<PeerId> ids = new ArrayList<>();
      List<BasicHost> hosts = new ArrayList<>();
      BlobManifest m = null;
      for (int i = 0; i < providers; i++) {
        BasicHost h = host(seedBase * 100 + i, close);
        BlobStore s = BlobStore.open(dir.resolve("p" + i), config);
        close.add(0, s);
        m = s.put(data);
        close.add(0, BlocksService.install(h, config.withServeBytesPerSecond(rate), s));
        ids.add(h.peerId());
        hosts.add(h);
      }
      BasicHost me = host(seedBase * 100 + 99, close);
      for (BasicHost h : hosts) me.peerStore().addAddresses(h.peerId(), h.listenAddresses(), InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
      // Connect first so the figure is transfer, not handshakes.
      for (BasicHost h : hosts) me.connect(h.peerId()).get(10, TimeUnit.SECONDS);
      BlobStore mine = BlobStore.open(dir.resolve("me"), config);
      close.add(0, mine);
      BlocksService svc = BlocksService.install(me, config, mine);
      close.add(0, svc);
      long t0 = System.nanoTime();
      DownloadResult r = svc.fetch(m.id(), ids).result().get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!java.util.Arrays.equals(mine.read(m.id()), data)) throw new IllegalStateException("the benchmark blob arrived corrupt");
      List<Integer> served = new ArrayList<>();
      for (PeerId id : ids) served.add(r.providers().stream().filter(p -> p.peer().equals(id)).mapToInt(DownloadScheduler.ProviderReport::chunksServed).sum());
      return new Row(providers, rate, blobBytes, seconds, m.chunkCount(), served);
    } finally {
      for (AutoCloseable c : close) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort
        }
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // temp files
      }
    }
  }

  private static BasicHost host(long seed, List<AutoCloseable> close) {
    BasicHost h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen("/ip4/127.0.0.1/tcp/0").build();
    h.start().join();
    close.add(0, h);
    return h;
  }

  /** The rows as a markdown table. */
  public static void print(PrintStream out, List<Row> rows) {
    double base = rows.isEmpty() ? 1 : rows.get(0).mibPerSecond();
    out.println("| providers | limit each | blob | time | throughput | vs 1 provider | chunks served per provider |");
    out.println("|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      out.printf("| %d | %s | %d MiB | %.2f s | %.1f MiB/s | %.2f× | %s |%n", r.providers(), r.rateBytesPerSecond() == 0 ? "none" : (r.rateBytesPerSecond() >> 20) + " MiB/s",
          r.bytes() >> 20, r.seconds(), r.mibPerSecond(), r.mibPerSecond() / base, r.servedPerProvider());
    }
  }

  /** One chunk-storage measurement: {@code kind} files (BlobStore) or rocksdb (one put per chunk). */
  public record StoreRow(String kind, long bytes, double writeSeconds, double readSeconds, long diskBytes) {}

  /**
   * Writes {@code mib} MiB as chunks into a {@link BlobStore} (files) and into RocksDB (one key per
   * chunk, default options, no sync), reads them back in order, and measures disk use after a
   * flush: the measurement behind the store's choice of files for chunk bytes.
   */
  public static List<StoreRow> storeCompare(int mib, int chunkBytes) throws Exception {
    byte[] data = new byte[mib << 20];
    new Random(5).nextBytes(data);
    BlocksConfig config = BlocksConfig.defaults().withChunkBytes(chunkBytes);
    BlobManifest m = BlobManifest.of(data, chunkBytes);
    List<StoreRow> rows = new ArrayList<>();
    Path dir = Files.createTempDirectory("weft-store-bench-");
    try {
      try (BlobStore s = BlobStore.open(dir.resolve("files"), config)) {
        long t0 = System.nanoTime();
        s.begin(m);
        for (int i = 0; i < m.chunkCount(); i++) {
          int off = (int) m.chunkOffset(i);
          s.writeChunk(m.id(), i, java.util.Arrays.copyOfRange(data, off, off + m.chunkLength(i)));
        }
        long t1 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < m.chunkCount(); i++) sum += s.chunk(m.id(), i).length;
        long t2 = System.nanoTime();
        if (sum != data.length) throw new IllegalStateException("read back " + sum + " bytes");
        rows.add(new StoreRow("files + RocksDB metadata (BlobStore)", data.length, (t1 - t0) / 1e9, (t2 - t1) / 1e9, du(dir.resolve("files"))));
      }
      org.rocksdb.RocksDB.loadLibrary();
      try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
           org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, dir.resolve("rocks").toString());
           org.rocksdb.FlushOptions f = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
        long t0 = System.nanoTime();
        for (int i = 0; i < m.chunkCount(); i++) {
          int off = (int) m.chunkOffset(i);
          byte[] key = java.nio.ByteBuffer.allocate(36).put(m.id().digest()).putInt(i).array();
          db.put(key, java.util.Arrays.copyOfRange(data, off, off + m.chunkLength(i)));
        }
        db.flush(f);
        long t1 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < m.chunkCount(); i++) sum += db.get(java.nio.ByteBuffer.allocate(36).put(m.id().digest()).putInt(i).array()).length;
        long t2 = System.nanoTime();
        if (sum != data.length) throw new IllegalStateException("read back " + sum + " bytes");
        rows.add(new StoreRow("RocksDB, one key per chunk", data.length, (t1 - t0) / 1e9, (t2 - t1) / 1e9, du(dir.resolve("rocks"))));
      }
      return rows;
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long du(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  public static void printStore(PrintStream out, List<StoreRow> rows) {
    out.println("| chunk storage | data | write (incl. flush) | read back | on disk |");
    out.println("|---|---|---|---|---|");
    for (StoreRow r : rows) {
      out.printf("| %s | %d MiB | %.0f MiB/s | %.0f MiB/s | %.1f MiB |%n", r.kind(), r.bytes() >> 20, r.bytes() / r.writeSeconds() / (1 << 20),
          r.bytes() / r.readSeconds() / (1 << 20), r.diskBytes() / (double) (1 << 20));
    }
  }
}
