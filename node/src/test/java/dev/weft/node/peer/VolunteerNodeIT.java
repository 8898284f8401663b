package dev.weft.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.run.InitialCheckpoint;
import dev.weft.node.run.ManifestReader;
import dev.weft.node.run.RunManifest;
import dev.weft.node.run.SignedManifest;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volunteer joins a published run: verifies the manifest, downloads and checks the round-0
 * checkpoint and its shard; restarted from its directory after the coordinator left, it needs
 * neither the coordinator nor a download.
 */
class VolunteerNodeIT {
  @Test
  void joinsThenRestartsFromItsDirectory(@TempDir Path dir) throws Exception {
    PrivKey coordKey = Ed25519.fromSeedNumber(1000);
    try (PeerNode boot = PeerNode.start(Ed25519.fromSeedNumber(1001), PeerNode.Config.loopback(dir.resolve("boot")))) {
      PeerNode coord = PeerNode.start(coordKey, PeerNode.Config.loopback(dir.resolve("coord")));
      BlobManifest ckpt = coord.blobs().put(InitialCheckpoint.encode("gpt-micro", 1, 5, "nesterov", 0.7, 0.9));
      BlobManifest s0 = coord.blobs().put(CoordinatorLeavesIT.random(40_000, 1));
      BlobManifest s1 = coord.blobs().put(CoordinatorLeavesIT.random(50_000, 2));
      BlobManifest s2 = coord.blobs().put(CoordinatorLeavesIT.random(60_000, 3));
      RunManifest m = ManifestReader.read(new ObjectMapper().readTree("""
          {"name":"vol-run","coordinator":"%s","model":{"spec":"gpt-micro","seed":1,"checkpoint":"%s"},
           "data":{"shards":["%s","%s","%s"],"shards_per_peer":1},"training":{"inner_steps":5,"rounds":10},"inner":{"lr":0.001},
           "round":{"quorum":1,"min_contributions":1}}
          """.formatted(coord.peerId().toBase58(), ckpt.id(), s0.id(), s1.id(), s2.id())));
      coord.bootstrap(boot.addresses()).get(20, TimeUnit.SECONDS);
      coord.publish(SignedManifest.sign(m, coordKey, 1, System.currentTimeMillis() + SignedManifest.DEFAULT_VALIDITY_MILLIS), coordKey).get(20, TimeUnit.SECONDS);
      for (BlobManifest b : List.of(ckpt, s0, s1, s2)) coord.provide(b.id()).get(20, TimeUnit.SECONDS);

      Path vdir = dir.resolve("volunteer");
      List<NodeEvent> events = new CopyOnWriteArrayList<>();
      try (PeerNode v = PeerNode.start(PeerNode.identity(vdir), PeerNode.Config.loopback(vdir))) {
        VolunteerNode.Joined j = new VolunteerNode(v, vdir, events::add).join(m.id(), boot.addresses());
        assertThat(j.checkpoint().round()).isZero();
        assertThat(j.checkpoint().theta()).isEqualTo(dev.weft.node.train.ModelSpecs.parse("gpt-micro").initialParameters(1));
        assertThat(j.shards()).hasSize(1).isSubsetOf(m.data().shards());
        assertThat(v.blobs().isComplete(j.shards().get(0))).isTrue();
      }
      assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new NodeEvent.RunVerified(m.id(), false)));
      assertThat(events).filteredOn(e -> e instanceof NodeEvent.Downloaded d && d.role().equals("checkpoint"))
          .singleElement().satisfies(e -> assertThat(((NodeEvent.Downloaded) e).fetched()).isEqualTo(ckpt.chunkCount()));
      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(NodeEvent.CheckpointVerified.class));
      assertThat(events.get(events.size() - 1)).isInstanceOf(NodeEvent.Ready.class);

      coord.close();
      events.clear();
      try (PeerNode v = PeerNode.start(PeerNode.identity(vdir), PeerNode.Config.loopback(vdir))) {
        new VolunteerNode(v, vdir, events::add).join(m.id(), boot.addresses());
      }
      assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new NodeEvent.RunVerified(m.id(), true)));
      assertThat(events).filteredOn(e -> e instanceof NodeEvent.Downloaded).allSatisfy(e -> assertThat(((NodeEvent.Downloaded) e).fetched()).isZero());
    }
  }
}
