package dev.weft.node.peer;

import dev.weft.node.blocks.BlobId;
import dev.weft.p2p.api.PeerId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The shards a peer downloads before it knows the run's membership: the {@code k} shards with the
 * highest rendezvous score {@code sha256(shard ‖ peer)}, so different peers pick different shards
 * and each shard is held by about {@code k/shards} of the peers. Once the run's membership is
 * known (CRDT state), {@code ShardAssignment.shardsFor} over the members decides what a peer
 * trains on; these are the ones it fetches first. Pure.
 */
public final class ShardPick {
  private ShardPick() {}

  public static List<BlobId> forPeer(PeerId peer, List<BlobId> shards, int k) {
    List<BlobId> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparingLong((BlobId s) -> score(s, peer)).reversed().thenComparing(Comparator.naturalOrder()));
    return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
  }

  static long score(BlobId shard, PeerId peer) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(shard.digest());
      md.update(peer.bytes());
      return ByteBuffer.wrap(md.digest()).getLong() >>> 1;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
