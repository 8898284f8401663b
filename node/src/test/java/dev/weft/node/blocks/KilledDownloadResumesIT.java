package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.host.BasicHost;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download stopped halfway (service and store closed mid-transfer, as a killed process leaves
 * them) resumes from the same directory: it asks only for the chunks it lacks, re-verifies what it
 * held, and fetches again a held chunk whose bytes were damaged on disk meanwhile.
 */
class KilledDownloadResumesIT {
  static final BlocksConfig CONFIG = BlocksConfig.defaults().withChunkBytes(32 << 10).withRequestTimeoutMillis(5000);

  @Test
  void resumesFromTheStoreAndFetchesOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
    byte[] data = BlobManifestTest.random(1 << 20, 7);
    try (LoopbackBlocks net = new LoopbackBlocks()) {
      BasicHost provider = net.host(200);
      BlobStore ps = net.store(dir.resolve("provider"), CONFIG);
      BlobManifest m = ps.put(data);
      // 256 KiB/s: the 1 MiB blob takes about 4 s, so there is time to stop it halfway.
      net.service(provider, CONFIG.withServeBytesPerSecond(256 << 10), ps, ps);

      BasicHost me = net.host(201);
      LoopbackBlocks.introduce(me, provider);
      Path mine = dir.resolve("me");
      BlobStore store = BlobStore.open(mine, CONFIG);
      BlocksService svc = BlocksService.install(me, CONFIG, store);
      BlocksService.Download d = svc.fetch(m.id(), List.of(provider.peerId()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (store.chunksHeld(m.id()) < m.chunkCount() / 2 && System.nanoTime() < deadline) Thread.sleep(20);
      svc.close();
      int heldAtStop = store.chunksHeld(m.id());
      store.close();
      assertThat(d.result()).isCompletedExceptionally();
      assertThat(heldAtStop).isBetween(m.chunkCount() / 2, m.chunkCount() - 1);

      // Damage one held chunk on disk while "down".
      int damaged = 0;
      try (RandomAccessFile f = new RandomAccessFile(mine.resolve("data").resolve(m.id().hex() + ".blob").toFile(), "rw")) {
        f.seek(damaged * (long) CONFIG.chunkBytes() + 10);
        int b = f.read();
        f.seek(damaged * (long) CONFIG.chunkBytes() + 10);
        f.write(b ^ 0xff);
      }

      BlobStore reopened = net.store(mine, CONFIG);
      assertThat(reopened.chunksHeld(m.id())).isEqualTo(heldAtStop);
      BlocksService again = net.service(me, CONFIG, reopened, reopened);
      DownloadResult r = again.fetch(m.id(), List.of(provider.peerId())).result().get(60, TimeUnit.SECONDS);

      assertThat(r.resumed()).isEqualTo(heldAtStop - 1);
      assertThat(r.fetched()).isEqualTo(m.chunkCount() - heldAtStop + 1);
      assertThat(reopened.read(m.id())).isEqualTo(data);
    }
  }
}
