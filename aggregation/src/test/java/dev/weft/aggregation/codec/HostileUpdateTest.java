package dev.weft.aggregation.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One named case per way a peer can lie in an encoded update. */
class HostileUpdateTest {
  private static final float[] X = {1, -2, 3.5f, 0, 9, -1};

  private static void rejects(byte[] data, int d, String message) {
    assertThatThrownBy(() -> Codecs.decode(data, d))
        .isInstanceOf(MalformedUpdateException.class)
        .hasMessageContaining(message);
  }

  @Test
  void unknownCodecAndEmpty() {
    rejects(new byte[0], 6, "empty");
    rejects(new byte[] {9, 1, 0, 0, 0, 0}, 0, "unknown codec");
  }

  @Test
  void wrongVersionOrDimension() {
    byte[] b = new Bf16Codec().encode(X);
    rejects(b, 7, "dimension 6, expected 7");
    byte[] v = b.clone();
    v[1] = 2;
    rejects(v, 6, "version");
  }

  @Test
  void truncatedAndTrailing() {
    for (Codec c : new Codec[] {new Bf16Codec(), Int8BlockCodec.DEFAULT, new TopKCodec(0.5, TopKCodec.Values.FLOAT32), new TopKCodec(0.5, TopKCodec.Values.INT8)}) {
      byte[] b = c.encode(X);
      for (int len = 0; len < b.length; len++) {
        byte[] cut = Arrays.copyOf(b, len);
        assertThatThrownBy(() -> Codecs.decode(cut, 6)).isInstanceOf(MalformedUpdateException.class);
      }
      rejects(Arrays.copyOf(b, b.length + 1), 6, "trailing");
    }
  }

  @Test
  void hugeDimensionDoesNotAllocate() {
    byte[] b = {1, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x3f};
    rejects(b, Codec.MAX_DIMENSION - 1, "truncated");
  }

  @Test
  void int8SizeArithmeticCannotWrap() {
    // d = 2^30 with one value per block: 5·2^30 bytes needed, which would wrap in int arithmetic.
    byte[] b = {2, 1, 0, 0, 0, 0x40, 1, 0, 0, 0, 0, 0, 0, 0};
    rejects(b, Codec.MAX_DIMENSION, "truncated");
  }

  @Test
  void bf16NaNAndInfinity() {
    byte[] b = new Bf16Codec().encode(X);
    b[6 + 2 * 3] = (byte) 0xC1;
    b[6 + 2 * 3 + 1] = 0x7F; // 0x7FC1: NaN
    rejects(b, 6, "NaN");
    b[6 + 2 * 3] = (byte) 0x80;
    b[6 + 2 * 3 + 1] = (byte) 0xFF; // 0xFF80: -inf
    rejects(b, 6, "NaN or infinity");
  }

  @Test
  void int8BadScalesAndBytes() {
    byte[] b = new Int8BlockCodec(4).encode(X);
    byte[] nan = b.clone();
    writeFloat(nan, 10, Float.NaN);
    rejects(nan, 6, "bad scale");
    byte[] neg = b.clone();
    writeFloat(neg, 10, -1f);
    rejects(neg, 6, "bad scale");
    byte[] huge = b.clone();
    writeFloat(huge, 10, Float.MAX_VALUE);
    rejects(huge, 6, "too large");
    byte[] min = b.clone();
    min[b.length - 1] = (byte) -128;
    rejects(min, 6, "-128");
    byte[] block = b.clone();
    block[6] = 0;
    rejects(block, 6, "block size 0");
  }

  @Test
  void topKIndicesOutOfRangeOrTooMany() {
    byte[] b = new TopKCodec(0.5, TopKCodec.Values.FLOAT32).encode(X); // k = 3: indices 1, 2, 4
    byte[] k = b.clone();
    k[6] = 7;
    rejects(k, 6, "k 7");
    byte[] far = b.clone();
    far[11] = 6; // first index 6 of d = 6
    rejects(far, 6, "index 6");
    byte[] gap = b.clone();
    gap[13] = 3; // last gap pushes the index to 6
    rejects(gap, 6, "index 6");
    byte[] kind = b.clone();
    kind[10] = 2;
    rejects(kind, 6, "value kind");
  }

  @Test
  void topKNonMinimalVarintAndNaNValue() {
    byte[] b = new TopKCodec(1 / 6.0, TopKCodec.Values.FLOAT32).encode(X); // k = 1: index 4 (value 9)
    byte[] padded = new byte[b.length + 1];
    System.arraycopy(b, 0, padded, 0, 11);
    padded[11] = (byte) 0x84;
    padded[12] = 0; // 4 written in two bytes
    System.arraycopy(b, 12, padded, 13, b.length - 12);
    rejects(padded, 6, "non-minimal");
    byte[] nan = b.clone();
    writeFloat(nan, 12, Float.POSITIVE_INFINITY);
    rejects(nan, 6, "NaN or infinity");
  }

  private static void writeFloat(byte[] b, int at, float v) {
    int bits = Float.floatToRawIntBits(v);
    for (int i = 0; i < 4; i++) b[at + i] = (byte) (bits >>> (8 * i));
  }
}
