package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.BasicHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob served by 4 providers on real loopback hosts, of which 2 send corrupt chunks (right
 * length and index, one flipped bit) and 1 accepts requests and never answers, arrives intact from
 * the honest one; the liars are dropped and banned, the staller dropped as stalled.
 */
class MultiProviderDownloadIT {
  static final BlocksConfig CONFIG = BlocksConfig.defaults().withChunkBytes(64 << 10).withRequestTimeoutMillis(1500);

  /** Serves the right manifest and, every {@code every}-th chunk, a corrupted one. */
  static ChunkSource lying(BlobStore honest, int every) {
    return new ChunkSource() {
      @Override public byte[] manifestBytes(BlobId blob) {
        return honest.manifestBytes(blob);
      }

      @Override public byte[] chunk(BlobId blob, int index) {
        byte[] c = honest.chunk(blob, index);
        if (c != null && index % every == 0) c[c.length / 2] ^= 0x01;
        return c;
      }
    };
  }

  /** Accepts every request and never answers. */
  static void stall(BasicHost host) {
    host.setStreamHandler(BlocksCodec.PROTOCOL_ID, s -> s.setHandler((st, data) -> { }));
  }

  @Test
  void twoCorruptAndOneStalledProviderCannotSpoilTheBlob(@TempDir Path dir) throws Exception {
    byte[] data = BlobManifestTest.random(2 << 20, 42);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BlobManifest m = null;
      BasicHost[] providers = new BasicHost[4];
      for (int i = 0; i < 4; i++) {
        providers[i] = net.host(100 + i);
        BlobStore s = net.store(dir.resolve("p" + i), CONFIG);
        m = s.put(data);
        ChunkSource src = i == 1 || i == 2 ? lying(s, i == 1 ? 1 : 3) : s;
        if (i == 3) stall(providers[i]);
        else net.service(providers[i], CONFIG, s, src);
      }
      BasicHost me = net.host(1);
      for (BasicHost p : providers) LoopbackBlocks.introduce(me, p);
      BlobStore mine = net.store(dir.resolve("me"), CONFIG);
      BlocksService svc = net.service(me, CONFIG, mine, mine);
      List<PeerId> ids = List.of(providers[0].peerId(), providers[1].peerId(), providers[2].peerId(), providers[3].peerId());

      DownloadResult r = svc.fetch(m.id(), ids).result().get(60, TimeUnit.SECONDS);

      assertThat(mine.isComplete(m.id())).isTrue();
      assertThat(mine.read(m.id())).isEqualTo(data);
      assertThat(Files.size(mine.path(m.id()))).isEqualTo(data.length);
      assertThat(r.fetched()).isEqualTo(m.chunkCount());
      // The attacks were real: corrupt chunks arrived and were thrown away.
      assertThat(r.corrupt()).isGreaterThanOrEqualTo(2);
      Map<PeerId, DownloadScheduler.ProviderReport> by = r.providers().stream().collect(Collectors.toMap(DownloadScheduler.ProviderReport::peer, Function.identity()));
      assertThat(by.get(ids.get(0)).dropped()).isFalse();
      assertThat(by.get(ids.get(0)).chunksServed()).isPositive();
      assertThat(by.get(ids.get(1)).droppedBecause()).contains("corrupt");
      assertThat(by.get(ids.get(2)).droppedBecause()).contains("corrupt");
      assertThat(by.get(ids.get(3)).droppedBecause()).contains("stalled");
      assertThat(svc.isBanned(ids.get(1)).get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(svc.isBanned(ids.get(2)).get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(svc.isBanned(ids.get(0)).get(5, TimeUnit.SECONDS)).isFalse();
    }
  }
}
