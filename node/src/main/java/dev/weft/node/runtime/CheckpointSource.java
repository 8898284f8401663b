package dev.weft.node.runtime;

import dev.weft.p2p.api.PeerId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a node gets the run's current parameters and outer state from when it (re)joins or falls
 * behind: the blob seam for checkpoints. {@link CheckpointExchange} is today's implementation;
 * wt-node's block exchange ({@code /weft/blocks/1.0.0}, chunked, multi-source, verified against a
 * certified root) replaces it.
 */
public interface CheckpointSource {
  /**
   * The latest checkpoint {@code peer} holds, as the encoded bytes of
   * {@link dev.weft.node.train.checkpoint.CheckpointCodec}; empty if it has none. Fails on a
   * timeout, an oversized or malformed reply, or a closed stream.
   */
  CompletableFuture<Optional<byte[]>> latest(PeerId peer);

  /** Sets what we serve to others (the encoded checkpoint of our latest applied round). */
  void serve(byte[] encodedCheckpoint);
}
