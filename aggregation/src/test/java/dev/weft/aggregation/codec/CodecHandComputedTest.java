package dev.weft.aggregation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodecHandComputedTest {
  @Test
  void bf16RoundsToNearestEven() {
    assertThat(Bf16Codec.toBf16(1.0f)).isEqualTo(0x3F80);
    assertThat(Bf16Codec.fromBf16(Bf16Codec.toBf16(1 + 0x1p-8f))).isEqualTo(1.0f); // tie -> even
    assertThat(Bf16Codec.fromBf16(Bf16Codec.toBf16(1 + 0x1p-7f + 0x1p-8f))).isEqualTo(1 + 0x1p-6f);
    assertThat(Bf16Codec.toBf16(-2.0f)).isEqualTo(0xC000);
    assertThat(Bf16Codec.toBf16(Float.MAX_VALUE)).isEqualTo(Bf16Codec.MAX_FINITE);
  }

  @Test
  void bf16Layout() throws Exception {
    byte[] b = new Bf16Codec().encode(new float[] {1.0f, -2.0f});
    assertThat(b).containsExactly(1, 1, 2, 0, 0, 0, 0x80, 0x3F, 0x00, (byte) 0xC0);
    assertThat(new Bf16Codec().decode(b, 2)).containsExactly(1.0f, -2.0f);
  }

  @Test
  void int8Layout() throws Exception {
    // One block of 4: max 127 -> scale 1; q = values rounded.
    byte[] b = new Int8BlockCodec(4).encode(new float[] {127f, -63.6f, 0.4f, 2f});
    assertThat(b).containsExactly(2, 1, 4, 0, 0, 0, /*block*/ 4, 0, 0, 0,
        /*scale 1.0f*/ 0, 0, (byte) 0x80, 0x3F, 127, (byte) -64, 0, 2);
    assertThat(Int8BlockCodec.DEFAULT.decode(b, 4)).containsExactly(127f, -64f, 0f, 2f);
  }

  @Test
  void topKLayoutUsesGapVarints() throws Exception {
    float[] x = new float[300];
    x[5] = 3f;
    x[200] = -7f;
    x[201] = 1f;
    byte[] b = new TopKCodec(3 / 300.0, TopKCodec.Values.FLOAT32).encode(x);
    // header, k=3, kind 0, indices 5 | gap 194 (2-byte varint 0xC2 0x01) | gap 0, then values
    assertThat(b).startsWith(3, 1, 44, 1, 0, 0, 3, 0, 0, 0, 0, 5, (byte) 0xC2, 1, 0);
    float[] y = Codecs.decode(b, 300);
    assertThat(y).isEqualTo(x);
  }

  @Test
  void topKBreaksTiesTowardsLowerIndices() {
    assertThat(TopKCodec.topIndices(new float[] {1, -2, 2, 2, 0}, 2)).containsExactly(1, 2);
    assertThat(TopKCodec.topIndices(new float[] {0, 0, 0}, 2)).containsExactly(0, 1);
  }

  @Test
  void codecsParseSpecs() {
    assertThat(Codecs.parse("bf16")).isInstanceOf(Bf16Codec.class);
    assertThat(((Int8BlockCodec) Codecs.parse("int8:64")).block()).isEqualTo(64);
    assertThat(Codecs.parse("topk-int8:0.01").name()).isEqualTo("topk-int8(0.01)");
  }
}
