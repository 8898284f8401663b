package dev.weft.node.blocks;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any bytes either decode or fail with {@link BlocksDecodeException}; nothing else escapes, and
 * what decodes re-encodes to the same bytes (the encoding is canonical) within the limits.
 */
class BlocksCodecFuzzTest {
  static final BlocksConfig LIMITS = BlocksConfig.defaults().withChunkBytes(1024).withMaxChunkBytes(4096);

  @FuzzTest(maxDuration = "20s")
  void decodeRequest(byte[] data) {
    try {
      BlocksMessage.Request r = BlocksCodec.decodeRequest(data);
      if (!Arrays.equals(BlocksCodec.encode(r), data)) throw new AssertionError("request does not re-encode to its bytes");
    } catch (BlocksDecodeException expected) {
      // rejected cleanly
    }
  }

  @FuzzTest(maxDuration = "20s")
  void decodeReply(byte[] data) {
    try {
      BlocksMessage.Reply r = BlocksCodec.decodeReply(data, LIMITS);
      if (r instanceof BlocksMessage.Chunk c && c.data().length > LIMITS.maxChunkBytes()) throw new AssertionError("chunk over the limit accepted");
      if (!Arrays.equals(BlocksCodec.encode(r), data)) throw new AssertionError("reply does not re-encode to its bytes");
    } catch (BlocksDecodeException expected) {
      // rejected cleanly
    }
  }

  @FuzzTest(maxDuration = "20s")
  void decodeManifest(byte[] data) {
    try {
      BlobManifest m = BlobManifest.decode(data, LIMITS);
      if (!Arrays.equals(m.encode(), data)) throw new AssertionError("manifest does not re-encode to its bytes");
      if ((long) m.chunkCount() * m.chunkSize() < m.size()) throw new AssertionError("chunks do not cover the blob");
    } catch (BlocksDecodeException expected) {
      // rejected cleanly
    }
  }
}
