package dev.weft.dht.bench;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.KadNetwork;
import dev.weft.dht.KadNode;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.limits.FatAddrs;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.time.SimScheduler;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The DHT flood of issue 15 against one node, as its host adapter would feed it: every request is
 * encoded, decoded by the bounded codec and handed to the request handler, all from one peer.
 * {@code PUTS} signed 16 KB PUT_VALUEs, then {@code ADDS} ADD_PROVIDERs with 32 addresses of
 * 1 KB, with an honest record and provider stored first. Prints the store's accounted growth, the
 * RocksDB folder after a flush and compaction, the heap retained after a full GC and the
 * process RSS before and after, and whether the honest entries survived. The request rate is
 * lifted so that the quotas alone are measured (at the default 50 requests/s the flood would
 * take hours and mostly be refused).
 *
 * <p>Run in its own JVM so the heap flags are known: {@code DhtFloodBenchRunner}.
 */
public final class DhtFloodBench {
  private DhtFloodBench() {}

  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }

  static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static byte[] cid(int i) {
    return Multihash.sha256(ByteBuffer.allocate(4).putInt(i).array()).bytes();
  }

  static DhtMessage wire(DhtMessage m) throws Exception {
    return DhtCodec.decode(DhtCodec.encode(m));
  }

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "memory";
    int puts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int adds = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    Path dir = Files.createTempDirectory("dht-flood");
    DhtLimits limits = DhtLimits.defaults();
    DhtConfig config = DhtConfig.defaults().withLimits(limits.withRequestRate(1e9, 1_000_000_000));
    SimScheduler scheduler = new SimScheduler(1);
    long epoch = 1_767_225_600_000L;
    KadNetwork silent = new KadNetwork() {
      @Override public void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult) {}

      @Override public void ping(PeerInfo peer, Consumer<Boolean> onResult) {}
    };
    Random r = new Random(42);
    try (DhtStore store = kind.equals("rocks") ? RocksDhtStore.open(dir) : new MemoryDhtStore()) {
      KadNode node = new KadNode(TestPeers.peer(r), config, scheduler, () -> epoch + scheduler.nowMillis(), new Random(1), silent, store,
          ValidatorRegistry.standard(TestEd25519::decode));
      PrivKey honestKey = TestEd25519.generate(r);
      PeerInfo honest = PeerInfo.of(PeerId.fromPublicKey(honestKey.publicKey()), List.of(TestPeers.addr(1)));
      byte[] payload = new byte[DhtCodec.MAX_VALUE_BYTES - 400];
      byte[] hk = Keys.runKey(honest.id(), "manifest");
      node.handleRequest(honest, false, wire(DhtMessage.putValue(new DhtMessage.DhtRecord(hk, SignedRecords.sign(honestKey, hk, payload, 1, epoch + 86_400_000L), ""))));
      node.handleRequest(honest, false, wire(DhtMessage.addProvider(cid(0), honest)));
      long diskIdle = store instanceof RocksDhtStore rs ? rs.diskBytes(dir) : 0;
      long heapIdle = heapUsedAfterGc();
      long rssIdle = rssKb();
      long accountedIdle = node.records().accountedBytes() + node.providerBook().accountedBytes();

      PrivKey flooderKey = TestEd25519.generate(r);
      PeerInfo flooder = PeerInfo.of(PeerId.fromPublicKey(flooderKey.publicKey()), FatAddrs.of(32, 1024, 7));
      long t0 = System.nanoTime();
      long maxRss = rssIdle;
      for (int i = 0; i < puts; i++) {
        byte[] k = Keys.runKey(flooder.id(), "spam-" + i);
        node.handleRequest(flooder, false, wire(DhtMessage.putValue(new DhtMessage.DhtRecord(k, SignedRecords.sign(flooderKey, k, payload, 1, epoch + 86_400_000L), ""))));
        if (i % 1000 == 0) maxRss = Math.max(maxRss, rssKb());
      }
      double putSeconds = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      for (int i = 0; i < adds; i++) {
        node.handleRequest(flooder, false, wire(DhtMessage.addProvider(cid(1 + i), flooder)));
        if (i % 10_000 == 0) maxRss = Math.max(maxRss, rssKb());
      }
      double addSeconds = (System.nanoTime() - t0) / 1e9;
      long accounted = node.records().accountedBytes() + node.providerBook().accountedBytes();
      long disk = store instanceof RocksDhtStore rs ? rs.diskBytes(dir) : 0;
      long heap = heapUsedAfterGc();
      long rss = rssKb();
      maxRss = Math.max(maxRss, rss);
      boolean honestRecord = node.handleRequest(TestPeers.peer(r), false, DhtMessage.request(DhtMessage.Type.GET_VALUE, hk))
          .map(m -> m.record() != null).orElse(false);
      boolean honestProvider = node.handleRequest(TestPeers.peer(r), false, DhtMessage.request(DhtMessage.Type.GET_PROVIDERS, cid(0)))
          .map(m -> m.providerPeers().stream().anyMatch(p -> p.id().equals(honest.id()))).orElse(false);
      System.out.printf("dht flood bench (%s store, %s): %d PUT_VALUE of %d B in %.1f s, %d ADD_PROVIDER with 32 x 1 KB addresses in %.1f s, one peer%n",
          kind, ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-X")).toList(), puts, payload.length,
          putSeconds, adds, addSeconds);
      System.out.printf("  per-peer quota: %d KiB records + %d KiB providers; flooder holds %d records (%d KiB) and %d provider records (%d KiB)%n",
          limits.maxRecordBytesPerPeer() / 1024, limits.maxProviderBytesPerPeer() / 1024,
          node.records().usage(flooder.id()).entries(), node.records().usage(flooder.id()).bytes() / 1024,
          node.providerBook().usage(flooder.id()).entries(), node.providerBook().usage(flooder.id()).bytes() / 1024);
      System.out.printf("  store accounted growth %d KiB; RocksDB folder %d KiB -> %d KiB; heap after GC %d MiB -> %d MiB;"
          + " RSS %d MiB idle -> %d MiB after (peak sampled %d MiB, +%d MiB)%n",
          (accounted - accountedIdle) / 1024, diskIdle / 1024, disk / 1024, heapIdle >> 20, heap >> 20, rssIdle >> 10, rss >> 10, maxRss >> 10,
          (maxRss - rssIdle) >> 10);
      System.out.printf("  honest record served: %s; honest provider served: %s; load average %.2f%n", honestRecord, honestProvider,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
