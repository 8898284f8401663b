package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One named test per limit of the block exchange, on real loopback hosts. */
class BlocksLimitsIT {
  static final BlocksConfig CONFIG = BlocksConfig.defaults().withChunkBytes(32 << 10).withRequestTimeoutMillis(3000);

  static Stream open(BasicHost from, BasicHost to) throws Exception {
    LoopbackBlocks.introduce(from, to);
    return from.newStream(to.peerId(), List.of(BlocksCodec.PROTOCOL_ID)).get(10, TimeUnit.SECONDS);
  }

  static BlocksMessage.Reply ask(BasicHost from, BasicHost to, BlocksMessage.Request req) throws Exception {
    Stream s = open(from, to);
    LengthPrefixedReader reader = new LengthPrefixedReader(CONFIG.maxReplyBytes(), 10_000, from.scheduler(), s);
    s.setHandler(reader);
    byte[] body = BlocksCodec.encode(req);
    s.write(Unpooled.wrappedBuffer(Varint.encode(body.length), body));
    s.closeWrite();
    return BlocksCodec.decodeReply(reader.result().get(15, TimeUnit.SECONDS), CONFIG);
  }

  @Test
  void streamsFromOnePeerBeyondItsLimitAreReset(@TempDir Path dir) throws Exception {
    BlocksConfig c = CONFIG.withInboundStreams(2, 16);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost victim = net.host(1);
      BlocksService v = net.service(victim, c, net.store(dir, c), net.store(dir.resolve("x"), c));
      BasicHost attacker = net.host(2);
      Stream s1 = open(attacker, victim);
      Stream s2 = open(attacker, victim);
      s1.setHandler((st, d) -> { });
      s2.setHandler((st, d) -> { });
      s1.write(Unpooled.wrappedBuffer(new byte[] {1}));
      s2.write(Unpooled.wrappedBuffer(new byte[] {1}));
      Stream s3 = open(attacker, victim);
      s3.setHandler((st, d) -> { });
      s3.write(Unpooled.wrappedBuffer(new byte[] {1}));
      s3.closeFuture().get(5, TimeUnit.SECONDS);
      assertThat(v.streamsRefused()).isEqualTo(1);
      assertThat(s1.closeFuture()).isNotDone();
    }
  }

  @Test
  void requestsBeyondTheTotalLimitAreAnsweredBusy(@TempDir Path dir) throws Exception {
    BlocksConfig c = CONFIG.withInboundStreams(2, 2);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost victim = net.host(1);
      BlobStore store = net.store(dir, c);
      BlobManifest m = store.put(BlobManifestTest.random(100_000, 1));
      BlocksService v = net.service(victim, c, store, store);
      BasicHost hog = net.host(2);
      for (int i = 0; i < 2; i++) open(hog, victim).setHandler((st, d) -> { });
      Thread.sleep(200);
      BasicHost other = net.host(3);
      assertThat(ask(other, victim, new BlocksMessage.GetManifest(m.id()))).isEqualTo(new BlocksMessage.Busy());
      assertThat(v.streamsRefused()).isEqualTo(1);
    }
  }

  @Test
  void anOversizedReplyIsRefusedBeforeItIsReadAndDropsItsProvider(@TempDir Path dir) throws Exception {
    byte[] data = BlobManifestTest.random(200_000, 3);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost honest = net.host(1);
      BlobStore hs = net.store(dir.resolve("h"), CONFIG);
      BlobManifest m = hs.put(data);
      net.service(honest, CONFIG, hs, hs);
      BasicHost liar = net.host(2);
      // Announces a reply one byte over the limit, then streams filler.
      liar.setStreamHandler(BlocksCodec.PROTOCOL_ID, s -> {
        s.setHandler((st, d) -> { });
        s.write(Unpooled.wrappedBuffer(Varint.encode(CONFIG.maxReplyBytes() + 1), new byte[64 << 10]));
      });
      BasicHost me = net.host(3);
      LoopbackBlocks.introduce(me, honest);
      LoopbackBlocks.introduce(me, liar);
      BlobStore mine = net.store(dir.resolve("me"), CONFIG);
      BlocksService svc = net.service(me, CONFIG, mine, mine);
      DownloadResult r = svc.fetch(m.id(), List.of(liar.peerId(), honest.peerId())).result().get(30, TimeUnit.SECONDS);
      assertThat(mine.read(m.id())).isEqualTo(data);
      assertThat(r.providers()).filteredOn(p -> p.peer().equals(liar.peerId())).singleElement()
          .satisfies(p -> assertThat(p.droppedBecause()).contains("malformed").contains("exceeds the limit"));
    }
  }

  @Test
  void malformedRequestsAreResetAndARepeatOffenderIsBanned(@TempDir Path dir) throws Exception {
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost victim = net.host(1);
      BlobStore store = net.store(dir, CONFIG);
      BlobManifest m = store.put(BlobManifestTest.random(10_000, 1));
      BlocksService v = net.service(victim, CONFIG, store, store);
      BasicHost attacker = net.host(2);
      int offences = -PeerStandings.BAN_SCORE / PeerStandings.FAILURE_PENALTY;
      for (int i = 0; i < offences; i++) {
        Stream s = open(attacker, victim);
        s.setHandler((st, d) -> { });
        byte[] junk = {0x7f, 1, 2, 3};
        s.write(Unpooled.wrappedBuffer(Varint.encode(junk.length), junk));
        s.closeFuture().get(5, TimeUnit.SECONDS);
      }
      assertThat(v.isBanned(attacker.peerId()).get(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> ask(attacker, victim, new BlocksMessage.GetManifest(m.id()))).isInstanceOf(ExecutionException.class);
      assertThat(ask(net.host(3), victim, new BlocksMessage.GetManifest(m.id()))).isInstanceOf(BlocksMessage.Manifest.class);
    }
  }

  @Test
  void theStoreQuotaRefusesABlobBeyondIt(@TempDir Path dir) throws Exception {
    BlocksConfig small = CONFIG.withStoreQuotaBytes(150_000);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost provider = net.host(1);
      BlobStore ps = net.store(dir.resolve("p"), CONFIG);
      BlobManifest big = ps.put(BlobManifestTest.random(100_000, 1));
      BlobManifest bigger = ps.put(BlobManifestTest.random(100_000, 2));
      net.service(provider, CONFIG, ps, ps);
      BasicHost me = net.host(2);
      LoopbackBlocks.introduce(me, provider);
      BlobStore mine = net.store(dir.resolve("me"), small);
      BlocksService svc = net.service(me, small, mine, mine);
      svc.fetch(big.id(), List.of(provider.peerId())).result().get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> svc.fetch(bigger.id(), List.of(provider.peerId())).result().get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DownloadFailedException.class).hasMessageContaining("quota");
      assertThat(mine.reservedBytes()).isEqualTo(100_000);
      assertThatThrownBy(() -> mine.put(BlobManifestTest.random(60_000, 3))).isInstanceOf(BlobStoreException.class).hasMessageContaining("quota");
    }
  }

  @Test
  void downloadsBeyondTheConcurrencyLimitAreRefused(@TempDir Path dir) throws Exception {
    BlocksConfig one = CONFIG.withMaxConcurrentDownloads(1);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost provider = net.host(1);
      BlobStore ps = net.store(dir.resolve("p"), CONFIG);
      BlobManifest a = ps.put(BlobManifestTest.random(300_000, 1));
      BlobManifest b = ps.put(BlobManifestTest.random(300_000, 2));
      net.service(provider, CONFIG.withServeBytesPerSecond(200_000), ps, ps);
      BasicHost me = net.host(2);
      LoopbackBlocks.introduce(me, provider);
      BlobStore mine = net.store(dir.resolve("me"), one);
      BlocksService svc = net.service(me, one, mine, mine);
      BlocksService.Download first = svc.fetch(a.id(), List.of(provider.peerId()));
      assertThatThrownBy(() -> svc.fetch(b.id(), List.of(provider.peerId())).result().get(30, TimeUnit.SECONDS))
          .hasMessageContaining("downloads at once");
      assertThat(first.result().get(30, TimeUnit.SECONDS).fetched()).isEqualTo(a.chunkCount());
    }
  }

  @Test
  void servingKeepsToItsRate(@TempDir Path dir) throws Exception {
    long rate = 256 << 10;
    byte[] data = BlobManifestTest.random(1 << 20, 9);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost provider = net.host(1);
      BlobStore ps = net.store(dir.resolve("p"), CONFIG);
      BlobManifest m = ps.put(data);
      BlocksService served = net.service(provider, CONFIG.withServeBytesPerSecond(rate), ps, ps);
      BasicHost me = net.host(2);
      LoopbackBlocks.introduce(me, provider);
      BlobStore mine = net.store(dir.resolve("me"), CONFIG);
      BlocksService svc = net.service(me, CONFIG, mine, mine);
      long t0 = System.nanoTime();
      svc.fetch(m.id(), List.of(provider.peerId())).result().get(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      // (1 MiB - one quarter-second burst) / 256 KiB/s = 3.75 s at the least
      assertThat(seconds).isGreaterThan(3.5);
      assertThat(served.bytesServed()).isGreaterThanOrEqualTo(data.length);
      assertThat(mine.read(m.id())).isEqualTo(data);
    }
  }

  @Test
  void aStreamTheHostsResourceManagerRefusesIsAnsweredBusy(@TempDir Path dir) throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    dev.weft.p2p.api.ResourceScope refuseBlocks = new dev.weft.p2p.api.ResourceScope() {
      @Override public boolean reserveMemory(dev.weft.p2p.api.PeerId peer, String protocol, long bytes) {
        return true;
      }

      @Override public void releaseMemory(dev.weft.p2p.api.PeerId peer, String protocol, long bytes) {}

      @Override public boolean reserveStream(dev.weft.p2p.api.PeerId peer, String protocol) {
        if (protocol.equals(BlocksCodec.PROTOCOL_ID)) {
          asked.incrementAndGet();
          return false;
        }
        return true;
      }

      @Override public void releaseStream(dev.weft.p2p.api.PeerId peer, String protocol) {}
    };
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost victim = BasicHost.builder().privateKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(1))
          .transport(dev.weft.p2p.transport.tcp.TcpTransport::new).listen("/ip4/127.0.0.1/tcp/0").resources(refuseBlocks).build();
      victim.start().join();
      try {
        BlobStore store = net.store(dir, CONFIG);
        BlobManifest m = store.put(BlobManifestTest.random(10_000, 1));
        BlocksService v = BlocksService.install(victim, CONFIG, store);
        assertThat(ask(net.host(2), victim, new BlocksMessage.GetManifest(m.id()))).isEqualTo(new BlocksMessage.Busy());
        assertThat(asked.get()).isEqualTo(1);
        assertThat(v.streamsRefused()).isEqualTo(1);
      } finally {
        victim.close();
      }
    }
  }
}
