package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobManifestTest {
  static final BlocksConfig LIMITS = BlocksConfig.defaults();

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void chunksCoverTheBlobAndTheLastIsShort() {
    byte[] data = random(10_000, 1);
    BlobManifest m = BlobManifest.of(data, 4096);
    assertThat(m.chunkCount()).isEqualTo(3);
    assertThat(m.chunkLength(0)).isEqualTo(4096);
    assertThat(m.chunkLength(2)).isEqualTo(10_000 - 8192);
    assertThat(m.verifyChunk(2, Arrays.copyOfRange(data, 8192, 10_000))).isTrue();
    assertThat(m.verifyChunk(1, Arrays.copyOfRange(data, 8192, 10_000))).isFalse();
    byte[] flipped = Arrays.copyOfRange(data, 0, 4096);
    flipped[17] ^= 1;
    assertThat(m.verifyChunk(0, flipped)).isFalse();
  }

  @Test
  void roundTripsAndTheIdIsTheHashOfTheEncoding() throws Exception {
    BlobManifest m = BlobManifest.of(random(50_000, 2), 1024);
    BlobManifest back = BlobManifest.decode(m.encode(), LIMITS);
    assertThat(back).isEqualTo(m);
    assertThat(back.id()).isEqualTo(BlobId.ofManifest(m.encode()));
    assertThat(BlobId.parse(m.id().toString())).isEqualTo(m.id());
    assertThat(m.id().toString()).startsWith("bafkrei");
  }

  @Test
  void emptyBlobHasNoChunks() throws Exception {
    BlobManifest m = BlobManifest.of(new byte[0], 1024);
    assertThat(m.chunkCount()).isZero();
    assertThat(BlobManifest.decode(m.encode(), LIMITS)).isEqualTo(m);
  }

  @Test
  void differentChunkSizesGiveDifferentIds() {
    byte[] data = random(5000, 3);
    assertThat(BlobManifest.of(data, 1024).id()).isNotEqualTo(BlobManifest.of(data, 2048).id());
  }

  @Test
  void decodeRefusesWhatIsNotCanonicalOrOverALimit() {
    byte[] good = BlobManifest.of(random(5000, 4), 1024).encode();
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> BlobManifest.decode(trailing, LIMITS)).isInstanceOf(BlocksDecodeException.class).hasMessageContaining("hash bytes");
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> BlobManifest.decode(truncated, LIMITS)).isInstanceOf(BlocksDecodeException.class);
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertThatThrownBy(() -> BlobManifest.decode(badMagic, LIMITS)).hasMessageContaining("magic");
    BlocksConfig small = LIMITS.withMaxBlobBytes(4000);
    assertThatThrownBy(() -> BlobManifest.decode(good, small)).hasMessageContaining("exceeds 4000");
    BlocksConfig smallChunks = LIMITS.withChunkBytes(1024).withMaxChunkBytes(1024);
    byte[] big = BlobManifest.of(random(5000, 5), 2048).encode();
    assertThatThrownBy(() -> BlobManifest.decode(big, smallChunks)).hasMessageContaining("chunk size 2048 outside");
  }

  @Test
  void blobIdParseNamesWhatIsWrong() {
    assertThatThrownBy(() -> BlobId.parse("hello")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a blob CID");
    String dagPb = dev.weft.p2p.multiformats.Cid.sha256(dev.weft.p2p.multiformats.Cid.DAG_PB, new byte[] {1}).toString();
    assertThatThrownBy(() -> BlobId.parse(dagPb)).hasMessageContaining("raw");
  }
}
