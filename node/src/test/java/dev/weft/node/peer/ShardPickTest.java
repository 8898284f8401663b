package dev.weft.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.blocks.BlobId;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardPickTest {
  static List<BlobId> shards(int n) {
    List<BlobId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(BlobManifest.of(new byte[i + 1], 1024).id());
    return out;
  }

  @Test
  void deterministicDistinctAndSpreadOverPeers() {
    List<BlobId> s = shards(8);
    Map<BlobId, Integer> holders = new HashMap<>();
    for (int p = 0; p < 200; p++) {
      PeerId peer = PeerId.fromPublicKey(Ed25519.fromSeedNumber(p).publicKey());
      List<BlobId> pick = ShardPick.forPeer(peer, s, 2);
      assertThat(pick).hasSize(2).doesNotHaveDuplicates().isEqualTo(ShardPick.forPeer(peer, List.copyOf(s).reversed(), 2));
      for (BlobId b : pick) holders.merge(b, 1, Integer::sum);
    }
    // 200 peers x 2 picks over 8 shards: 50 each on average; every shard is held by many
    assertThat(holders).hasSize(8);
    assertThat(holders.values()).allSatisfy(n -> assertThat(n).isBetween(20, 80));
  }

  @Test
  void askingForMoreThanThereAreGivesThemAll() {
    assertThat(ShardPick.forPeer(PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey()), shards(3), 5)).hasSize(3);
  }
}
