package dev.weft.aggregation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Decoders of untrusted bytes: whatever arrives, they return a finite vector of the expected length
 * or throw {@link MalformedUpdateException} — nothing else. The expected dimension is taken from the
 * header when it is small, so the fuzzer gets past the dimension check.
 */
class CodecFuzzTest {
  private static final int MAX_FUZZ_DIMENSION = 1 << 16;

  private static int expectedDimension(byte[] data) {
    if (data.length < 6) return 8;
    int d = (data[2] & 0xff) | (data[3] & 0xff) << 8 | (data[4] & 0xff) << 16 | (data[5] & 0xff) << 24;
    return d >= 0 && d <= MAX_FUZZ_DIMENSION ? d : 8;
  }

  private static void check(Codec codec, byte[] data) {
    int d = expectedDimension(data);
    try {
      float[] out = codec == null ? Codecs.decode(data, d) : codec.decode(data, d);
      assertThat(out).hasSize(d);
      for (float v : out) assertThat(Float.isFinite(v)).isTrue();
    } catch (MalformedUpdateException expected) {
      // rejected with a reason: what a hostile input should get
    }
  }

  @FuzzTest(maxDuration = "10s")
  void anyCodec(byte[] data) {
    check(null, data);
  }

  @FuzzTest(maxDuration = "10s")
  void bf16(byte[] data) {
    check(new Bf16Codec(), data);
  }

  @FuzzTest(maxDuration = "10s")
  void int8(byte[] data) {
    check(Int8BlockCodec.DEFAULT, data);
  }

  @FuzzTest(maxDuration = "10s")
  void topK(byte[] data) {
    check(new TopKCodec(0.1, TopKCodec.Values.FLOAT32), data);
  }
}
