package dev.weft.node.peer;

import dev.weft.node.blocks.BlobId;
import dev.weft.node.blocks.BlobStore;
import dev.weft.node.blocks.BlocksService;
import dev.weft.node.round.RoundAction;
import dev.weft.node.round.RoundEvent;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519PubKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Where the round protocol meets the block exchange: a contribution is a blob whose id is the
 * round's CID ({@link Digest} = the blob id's sha2-256), and the machine's
 * {@link RoundAction.Fetch} becomes a multi-provider download from its sources (every named source
 * is asked in parallel, not in turn), answered with {@link RoundEvent.BlobHeld} or
 * {@link RoundEvent.FetchFailed}. Round participants are named by their Ed25519 keys
 * ({@link PeerKey}); their peer ids follow from the key.
 */
public final class RoundBlocks {
  private RoundBlocks() {}

  public static BlobId blobOf(Digest cid) {
    return BlobId.fromDigest(cid.bytes());
  }

  public static Digest cidOf(BlobId blob) {
    return new Digest(blob.digest());
  }

  public static PeerId peerOf(PeerKey key) {
    return PeerId.fromPublicKey(new Ed25519PubKey(key.bytes()));
  }

  /** Stores our own encoded contribution and returns its CID for {@code TrainingFinished}. */
  public static Digest store(BlobStore store, byte[] encodedContribution) {
    return cidOf(store.put(encodedContribution).id());
  }

  /**
   * Runs a Fetch: downloads the blob from its sources and answers the machine.
   *
   * @param check what is wrong with the downloaded bytes (null: fine) — the codec's decode with
   *     the manifest's dimension; the hash is already verified
   */
  public static CompletableFuture<RoundEvent> fetch(BlocksService blocks, RoundAction.Fetch f, Function<byte[], String> check) {
    BlobId blob = blobOf(f.cid());
    List<PeerId> sources = new ArrayList<>();
    for (PeerKey k : f.sources()) {
      try {
        sources.add(peerOf(k));
      } catch (IllegalArgumentException e) {
        // not a valid Ed25519 key: cannot be dialled
      }
    }
    return blocks.fetch(blob, sources).result().handle((r, e) -> {
      if (e != null) return new RoundEvent.FetchFailed(f.cid());
      return new RoundEvent.BlobHeld(f.cid(), check.apply(blocks.store().read(blob)));
    });
  }
}
