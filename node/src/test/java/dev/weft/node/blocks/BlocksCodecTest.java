package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlocksCodecTest {
  static final BlocksConfig LIMITS = BlocksConfig.defaults();
  static final BlobId BLOB = BlobManifest.of(new byte[3000], 1024).id();

  @Test
  void requestsRoundTrip() throws Exception {
    assertThat(BlocksCodec.decodeRequest(BlocksCodec.encode(new BlocksMessage.GetManifest(BLOB)))).isEqualTo(new BlocksMessage.GetManifest(BLOB));
    assertThat(BlocksCodec.decodeRequest(BlocksCodec.encode(new BlocksMessage.GetChunk(BLOB, 300)))).isEqualTo(new BlocksMessage.GetChunk(BLOB, 300));
  }

  @Test
  void repliesRoundTrip() throws Exception {
    BlocksMessage.Reply c = BlocksCodec.decodeReply(BlocksCodec.encode(new BlocksMessage.Chunk(7, new byte[] {1, 2, 3})), LIMITS);
    assertThat(c).isInstanceOfSatisfying(BlocksMessage.Chunk.class, x -> {
      assertThat(x.index()).isEqualTo(7);
      assertThat(x.data()).containsExactly(1, 2, 3);
    });
    assertThat(BlocksCodec.decodeReply(BlocksCodec.encode(new BlocksMessage.NotFound()), LIMITS)).isEqualTo(new BlocksMessage.NotFound());
    assertThat(BlocksCodec.decodeReply(BlocksCodec.encode(new BlocksMessage.Busy()), LIMITS)).isEqualTo(new BlocksMessage.Busy());
    byte[] m = BlobManifest.of(new byte[3000], 1024).encode();
    assertThat(BlocksCodec.decodeReply(BlocksCodec.encode(new BlocksMessage.Manifest(m)), LIMITS))
        .isInstanceOfSatisfying(BlocksMessage.Manifest.class, x -> assertThat(x.bytes()).isEqualTo(m));
  }

  @Test
  void strictDecoding() {
    byte[] req = BlocksCodec.encode(new BlocksMessage.GetChunk(BLOB, 1));
    assertThatThrownBy(() -> BlocksCodec.decodeRequest(Arrays.copyOf(req, req.length + 1))).isInstanceOf(BlocksDecodeException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> BlocksCodec.decodeRequest(Arrays.copyOf(req, 10))).isInstanceOf(BlocksDecodeException.class);
    byte[] unknown = req.clone();
    unknown[0] = 0x7f;
    assertThatThrownBy(() -> BlocksCodec.decodeRequest(unknown)).hasMessageContaining("unknown request type");
    assertThatThrownBy(() -> BlocksCodec.decodeReply(new byte[] {(byte) 0x83, 0}, LIMITS)).hasMessageContaining("trailing");
    assertThatThrownBy(() -> BlocksCodec.decodeReply(new byte[0], LIMITS)).isInstanceOf(BlocksDecodeException.class);
    // non-minimal varint index: 0x81 0x00 means 1 written in two bytes
    byte[] nonMinimal = Arrays.copyOf(req, req.length + 1);
    nonMinimal[req.length - 1] = (byte) 0x81;
    nonMinimal[req.length] = 0;
    assertThatThrownBy(() -> BlocksCodec.decodeRequest(nonMinimal)).hasMessageContaining("non-minimal");
  }

  @Test
  void chunkOverTheLimitIsRefusedBeforeItIsCopied() {
    BlocksConfig small = LIMITS.withChunkBytes(1024).withMaxChunkBytes(2048);
    byte[] reply = BlocksCodec.encode(new BlocksMessage.Chunk(0, new byte[2049]));
    assertThatThrownBy(() -> BlocksCodec.decodeReply(reply, small)).isInstanceOf(BlocksDecodeException.class).hasMessageContaining("exceeds 2048");
  }
}
