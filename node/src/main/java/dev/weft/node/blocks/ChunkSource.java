package dev.weft.node.blocks;

/**
 * What a block-exchange server serves from: the blob store, or in tests a source that lies.
 * Called on the service's executor; may do blocking file reads.
 */
public interface ChunkSource {
  /** The encoded manifest of {@code blob}, or null when we do not know it. */
  byte[] manifestBytes(BlobId blob);

  /** Chunk {@code index} of {@code blob}, or null when we do not hold it (or the index is out of range). */
  byte[] chunk(BlobId blob, int index);
}
