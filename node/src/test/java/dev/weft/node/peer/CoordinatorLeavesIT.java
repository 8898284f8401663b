package dev.weft.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.blocks.DownloadResult;
import dev.weft.node.run.ManifestReader;
import dev.weft.node.run.RunManifest;
import dev.weft.node.run.SignedManifest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator publishes a signed run and seeds its checkpoint and shards; a volunteer finds the
 * run in the DHT, verifies it and downloads everything; the coordinator leaves; a second volunteer
 * still finds the run and downloads the blobs, now from the first volunteer. Real TCP hosts.
 */
class CoordinatorLeavesIT {
  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static RunManifest manifest(PeerId coordinator, BlobManifest checkpoint, List<BlobManifest> shards) throws Exception {
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree("""
        {"name":"it-run","coordinator":"%s","model":{"spec":"gpt-micro","seed":1,"checkpoint":"%s"},
         "data":{"shards":["%s","%s"]},"training":{"inner_steps":5,"rounds":10},"inner":{"lr":0.001},
         "aggregation":{"rule":"centered-clip","f":1},"round":{"quorum":3,"min_contributions":3}}
        """.formatted(coordinator.toBase58(), checkpoint.id(), shards.get(0).id(), shards.get(1).id()));
    return ManifestReader.read(root);
  }

  @Test
  void volunteersFindAndDownloadTheRunAfterTheCoordinatorLeft(@TempDir Path dir) throws Exception {
    PrivKey coordinatorKey = Ed25519.fromSeedNumber(900);
    try (PeerNode boot = PeerNode.start(Ed25519.fromSeedNumber(901), PeerNode.Config.loopback(dir.resolve("boot")));
         PeerNode v1 = PeerNode.start(Ed25519.fromSeedNumber(902), PeerNode.Config.loopback(dir.resolve("v1")));
         PeerNode v2 = PeerNode.start(Ed25519.fromSeedNumber(903), PeerNode.Config.loopback(dir.resolve("v2")))) {
      PeerNode coordinator = PeerNode.start(coordinatorKey, PeerNode.Config.loopback(dir.resolve("coord")));
      byte[] ckpt = random(3 << 20, 1);
      BlobManifest c = coordinator.blobs().put(ckpt);
      BlobManifest s0 = coordinator.blobs().put(random(500_000, 2));
      BlobManifest s1 = coordinator.blobs().put(random(700_000, 3));
      RunManifest m = manifest(coordinator.peerId(), c, List.of(s0, s1));
      SignedManifest.Signed signed = SignedManifest.sign(m, coordinatorKey, 1, System.currentTimeMillis() + SignedManifest.DEFAULT_VALIDITY_MILLIS);

      coordinator.bootstrap(boot.addresses()).get(20, TimeUnit.SECONDS);
      v1.bootstrap(boot.addresses()).get(20, TimeUnit.SECONDS);
      coordinator.publish(signed, coordinatorKey).get(20, TimeUnit.SECONDS);
      for (BlobManifest b : List.of(c, s0, s1)) coordinator.provide(b.id()).get(20, TimeUnit.SECONDS);

      Optional<SignedManifest.Signed> found = v1.findRun(m.id()).get(20, TimeUnit.SECONDS);
      assertThat(found).isPresent();
      assertThat(found.get().manifest()).isEqualTo(m);
      DownloadResult r = v1.download(found.get().manifest().model().checkpoint()).get(60, TimeUnit.SECONDS);
      assertThat(r.fetched()).isEqualTo(c.chunkCount());
      for (var shard : found.get().manifest().data().shards()) v1.download(shard).get(60, TimeUnit.SECONDS);
      assertThat(v1.blobs().read(c.id())).isEqualTo(ckpt);

      assertThat(v1.listRuns(List.of()).get(20, TimeUnit.SECONDS)).extracting(SignedManifest.Signed::runId).contains(m.id());

      coordinator.close();

      v2.bootstrap(boot.addresses()).get(20, TimeUnit.SECONDS);
      SignedManifest.Signed again = v2.findRun(m.id()).get(20, TimeUnit.SECONDS).orElseThrow();
      DownloadResult r2 = v2.download(again.manifest().model().checkpoint()).get(60, TimeUnit.SECONDS);
      assertThat(v2.blobs().read(c.id())).isEqualTo(ckpt);
      assertThat(r2.providers()).filteredOn(p -> p.chunksServed() > 0).extracting(p -> p.peer()).containsOnly(v1.peerId());
      for (var shard : again.manifest().data().shards()) v2.download(shard).get(60, TimeUnit.SECONDS);
    }
  }
}
