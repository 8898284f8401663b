package dev.weft.node.blocks;

/** Messages of {@code /weft/blocks/1.0.0}: one request and one reply per stream. */
public sealed interface BlocksMessage {
  /** A request: what the asker wants. */
  sealed interface Request extends BlocksMessage {
    BlobId blob();
  }

  /** A reply to one request. */
  sealed interface Reply extends BlocksMessage {}

  /** The blob's manifest (its root block). */
  record GetManifest(BlobId blob) implements Request {}

  /** Chunk {@code index} of the blob. */
  record GetChunk(BlobId blob, int index) implements Request {
    public GetChunk {
      if (index < 0) throw new IllegalArgumentException("negative chunk index");
    }
  }

  /** The manifest bytes (the asker checks they hash to the blob id). */
  record Manifest(byte[] bytes) implements Reply {}

  /** Chunk bytes (the asker checks them against the manifest before storing). */
  record Chunk(int index, byte[] data) implements Reply {
    public Chunk {
      if (index < 0) throw new IllegalArgumentException("negative chunk index");
    }
  }

  /** We do not have it (no blame: providers' records can be stale). */
  record NotFound() implements Reply {}

  /** We are at a limit: ask again later or elsewhere. */
  record Busy() implements Reply {}
}
