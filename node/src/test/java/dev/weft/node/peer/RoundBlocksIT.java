package dev.weft.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.round.RoundAction;
import dev.weft.node.round.RoundEvent;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The round machine's Fetch answered by the block exchange between two real hosts. */
class RoundBlocksIT {
  @Test
  void aFetchBecomesADownloadAndIsAnswered(@TempDir Path dir) throws Exception {
    PrivKey providerKey = Ed25519.fromSeedNumber(3100);
    try (PeerNode provider = PeerNode.start(providerKey, PeerNode.Config.loopback(dir.resolve("p")));
         PeerNode me = PeerNode.start(Ed25519.fromSeedNumber(3101), PeerNode.Config.loopback(dir.resolve("me")))) {
      me.host().peerStore().addAddresses(provider.peerId(), provider.host().listenAddresses(), Long.MAX_VALUE / 4);
      byte[] contribution = CoordinatorLeavesIT.random(300_000, 9);
      Digest cid = RoundBlocks.store(provider.blobs(), contribution);
      PeerKey source = new PeerKey(providerKey.publicKey().raw());
      assertThat(RoundBlocks.peerOf(source)).isEqualTo(provider.peerId());

      RoundEvent held = RoundBlocks.fetch(me.blocks(), new RoundAction.Fetch(3, cid, List.of(source)), b -> null).get(30, TimeUnit.SECONDS);
      assertThat(held).isEqualTo(new RoundEvent.BlobHeld(cid, null));
      assertThat(me.blobs().read(RoundBlocks.blobOf(cid))).isEqualTo(contribution);

      Digest other = RoundBlocks.store(provider.blobs(), new byte[] {1, 2, 3});
      RoundEvent bad = RoundBlocks.fetch(me.blocks(), new RoundAction.Fetch(3, other, List.of(source)), b -> "not an update").get(30, TimeUnit.SECONDS);
      assertThat(bad).isEqualTo(new RoundEvent.BlobHeld(other, "not an update"));

      Digest missing = RoundBlocks.cidOf(BlobManifest.of(new byte[10], 1024).id());
      RoundEvent failed = RoundBlocks.fetch(me.blocks(), new RoundAction.Fetch(3, missing, List.of(source)), b -> null).get(30, TimeUnit.SECONDS);
      assertThat(failed).isEqualTo(new RoundEvent.FetchFailed(missing));
    }
  }
}
