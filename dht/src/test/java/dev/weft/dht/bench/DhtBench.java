package dev.weft.dht.bench;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.KadNetwork;
import dev.weft.dht.KadNode;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.dht.store.ProviderRecord;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.time.SimScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Throughput of one DHT node answering requests (decode, handle, encode: the work a stream
 * handler does per request, without the transport), and RocksDB's footprint for provider records.
 * A bench-style main: {@code DhtBenchRunner} runs it when {@code -Ddht.bench=true}.
 */
public final class DhtBench {
  private DhtBench() {}

  public static void main(String[] args) throws Exception {
    int providerRecords = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("dht-bench");
    try {
      // two passes: the first also warms the JIT on a shared machine
      for (int pass = 1; pass <= 2; pass++) {
        served("memory store, pass " + pass, new MemoryDhtStore());
        try (RocksDhtStore rocks = RocksDhtStore.open(dir.resolve("served-" + pass))) {
          served("RocksDB store, pass " + pass, rocks);
        }
      }
      footprint(dir.resolve("footprint"), providerRecords);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static void served(String label, DhtStore store) {
    Random r = new Random(1);
    SimScheduler sched = new SimScheduler(1);
    KadNetwork none = new KadNetwork() {
      @Override public void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult) {}

      @Override public void ping(PeerInfo peer, Consumer<Boolean> onResult) {}
    };
    ValidatorRegistry validators = ValidatorRegistry.standard(TestEd25519::decode);
    PeerInfo self = TestPeers.peer(r);
    // one asker sends every request: lift the per-peer rate so the bench measures serving, not refusing
    // (and the per-peer record quota: one author stores all 1000 records)
    dev.weft.dht.DhtLimits d = dev.weft.dht.DhtLimits.defaults();
    DhtConfig config = DhtConfig.defaults().withLimits(d.withRequestRate(1e9, 1_000_000_000)
        .withRecordQuotas(d.maxRecords(), d.maxRecordBytes(), (int) d.maxRecords(), d.maxRecordBytes()));
    KadNode node = new KadNode(self, config, sched, () -> 1_767_225_600_000L, r, none, store, validators);
    List<PeerInfo> peers = TestPeers.peers(r, 300);
    for (PeerInfo p : peers) node.offerPeer(p);
    // 1000 signed /weft/run/ records and 1000 provider keys with 5 providers each
    PrivKey author = TestEd25519.generate(r);
    PeerInfo authorInfo = PeerInfo.of(dev.weft.p2p.api.PeerId.fromPublicKey(author.publicKey()), List.of(TestPeers.addr(1)));
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> mhs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] key = Keys.runKey(authorInfo.id(), "run-" + i);
      byte[] value = SignedRecords.sign(author, key, new byte[512], 1, 1_767_225_600_000L + 86_400_000L);
      node.handleRequest(authorInfo, true, DhtMessage.putValue(new DhtMessage.DhtRecord(key, value, "")));
      keys.add(key);
      byte[] mh = Multihash.sha256(("content-" + i).getBytes()).bytes();
      mhs.add(mh);
      for (int j = 0; j < 5; j++) {
        PeerInfo p = peers.get((i + j) % peers.size());
        node.handleRequest(p, true, DhtMessage.addProvider(mh, p));
      }
    }
    PeerInfo asker = peers.get(7);
    for (String kind : List.of("GET_VALUE", "GET_PROVIDERS", "FIND_NODE")) {
      byte[][] frames = new byte[1000][];
      for (int i = 0; i < 1000; i++) {
        DhtMessage.Type t = DhtMessage.Type.valueOf(kind);
        byte[] k = switch (t) {
          case GET_VALUE -> keys.get(i);
          case GET_PROVIDERS -> mhs.get(i);
          default -> peers.get(i % peers.size()).id().bytes();
        };
        frames[i] = DhtCodec.encode(DhtMessage.request(t, k));
      }
      long bytes = 0;
      int n = 0;
      long warm = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warm) bytes += serve(node, asker, frames[n++ % 1000]);
      n = 0;
      bytes = 0;
      long start = System.nanoTime();
      long end = start + 3_000_000_000L;
      while (System.nanoTime() < end) {
        bytes += serve(node, asker, frames[n % 1000]);
        n++;
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("served %-13s (%s): %,.0f requests/s on one thread, %d bytes per answer%n", kind, label, n / secs, bytes / n);
    }
  }

  private static int serve(KadNode node, PeerInfo asker, byte[] frame) {
    try {
      DhtMessage req = DhtCodec.decode(frame);
      return DhtCodec.encode(node.handleRequest(asker, true, req).orElseThrow()).length;
    } catch (dev.weft.dht.codec.DhtDecodeException e) {
      throw new IllegalStateException(e);
    }
  }

  static void footprint(Path dir, int records) throws Exception {
    Random r = new Random(2);
    List<PeerInfo> providers = TestPeers.peers(r, 1000);
    long start = System.nanoTime();
    long bytes;
    try (RocksDhtStore store = RocksDhtStore.open(dir)) {
      byte[] d = new byte[32];
      for (int i = 0; i < records; i++) {
        // 5 providers per key, like content announced by a few peers each
        if (i % 5 == 0) r.nextBytes(d);
        byte[] mh = new Multihash(Multihash.SHA2_256, d).bytes();
        PeerInfo p = providers.get(r.nextInt(providers.size()));
        store.putProvider(mh, new ProviderRecord(p.id(), p.addrs(), 1_767_225_600_000L + i));
      }
      bytes = store.diskBytes(dir);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("RocksDB: %,d provider records (one /ip4/tcp address each) take %,d bytes on disk after flush+compaction = %.1f bytes/record,"
        + " %.0f MB per 1M records (%s); written at %,.0f records/s%n", records, bytes, bytes / (double) records,
        bytes / (double) records * 1_000_000 / 1e6, records >= 1_000_000 ? "measured" : String.format("extrapolated from %,d", records), records / secs);
  }
}
