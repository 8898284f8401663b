package dev.weft.aggregation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Round trips over generated vectors (fixed seeds) with each codec's stated error bound. */
class CodecPropertyTest {
  private static final long SEED = 20261125L;

  private static Gen<float[]> vectors() {
    Gen<Float> values =
        floats().between(-1e6f, 1e6f).mix(floats().between(-1e-3f, 1e-3f), 30)
            .mix(integers().all().map(Float::intBitsToFloat).map(f -> Float.isFinite(f) ? f : 0f), 10);
    return lists().of(values).ofSizeBetween(0, 700).map(CodecPropertyTest::toArray);
  }

  private static float[] toArray(List<Float> l) {
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = l.get(i);
    return a;
  }

  @Test
  void bf16WithinHalfAnUlpOfEightBits() {
    Bf16Codec c = new Bf16Codec();
    qt().withFixedSeed(SEED).withExamples(300).forAll(vectors()).checkAssert(x -> {
      float[] y = decode(c, x);
      for (int k = 0; k < x.length; k++) {
        double err = Math.abs((double) x[k] - y[k]);
        double max = Math.abs(x[k]) >= 3.3895e38f ? Math.abs(x[k]) * 0.004 : Math.abs(x[k]) / 256 + 1e-40;
        assertThat(err).as("x=%s y=%s", x[k], y[k]).isLessThanOrEqualTo(max);
      }
      // encoding a decoded vector again is the identity: bf16 values are representable
      assertThat(decode(c, y)).isEqualTo(y);
    });
  }

  @Test
  void int8WithinHalfAStepOfItsBlock() {
    qt().withFixedSeed(SEED).withExamples(300)
        .forAll(vectors(), integers().between(1, 300))
        .checkAssert((x, block) -> {
          Int8BlockCodec c = new Int8BlockCodec(block);
          float[] y = decode(c, x);
          for (int b = 0; b * block < x.length; b++) {
            float max = 0;
            for (int k = b * block; k < Math.min(x.length, (b + 1) * block); k++) max = Math.max(max, Math.abs(x[k]));
            double step = max / 127.0;
            for (int k = b * block; k < Math.min(x.length, (b + 1) * block); k++) {
              double err = Math.abs((double) x[k] - y[k]);
              assertThat(err).isLessThanOrEqualTo(step * 0.5001 + Math.abs(x[k]) * 1e-6 + 1e-40);
            }
          }
        });
  }

  @Test
  void topKKeepsExactlyTheLargestMagnitudes() {
    qt().withFixedSeed(SEED).withExamples(300)
        .forAll(vectors(), integers().between(1, 100))
        .checkAssert((x, percent) -> {
          TopKCodec c = new TopKCodec(percent / 100.0, TopKCodec.Values.FLOAT32);
          float[] y = decode(c, x);
          int kept = 0;
          float smallestKept = Float.POSITIVE_INFINITY, largestDropped = 0;
          for (int k = 0; k < x.length; k++) {
            boolean isKept = y[k] != 0 || (x[k] == 0 && isIndexKept(c, x, k));
            if (isKept) {
              assertThat(y[k]).isEqualTo(x[k]);
              smallestKept = Math.min(smallestKept, Math.abs(x[k]));
            } else {
              largestDropped = Math.max(largestDropped, Math.abs(x[k]));
            }
          }
          for (int k = 0; k < x.length; k++) if (y[k] != 0) kept++;
          assertThat(kept).isLessThanOrEqualTo(c.k(x.length));
          if (x.length > 0) assertThat(largestDropped).isLessThanOrEqualTo(smallestKept);
        });
  }

  private static boolean isIndexKept(TopKCodec c, float[] x, int k) {
    for (int i : TopKCodec.topIndices(x, c.k(x.length))) if (i == k) return true;
    return false;
  }

  @Test
  void topKInt8ValuesWithinTheInt8Bound() {
    qt().withFixedSeed(SEED).withExamples(200)
        .forAll(vectors(), integers().between(1, 100))
        .checkAssert((x, percent) -> {
          TopKCodec c = new TopKCodec(percent / 100.0, TopKCodec.Values.INT8);
          float[] y = decode(c, x);
          float max = 0;
          for (float v : x) max = Math.max(max, Math.abs(v));
          int[] idx = TopKCodec.topIndices(x, c.k(x.length));
          for (int i : idx) {
            assertThat(Math.abs((double) x[i] - y[i])).isLessThanOrEqualTo(max / 254.0 * 1.001 + 1e-40);
          }
        });
  }

  /** Dyadic values with few bits: every float operation in the feedback loop is exact. */
  private static Gen<float[][]> dyadicRounds() {
    return integers().between(1, 200).zip(integers().between(1, 12), integers().between(0, 1 << 20),
        (d, rounds, seed) -> {
          java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
          float[][] out = new float[rounds][d];
          for (float[] row : out) for (int k = 0; k < d; k++) row[k] = (r.nextInt(2049) - 1024) / 256f;
          return out;
        });
  }

  @Test
  void topKWithErrorFeedbackLosesNothingOverRounds() {
    qt().withFixedSeed(SEED).withExamples(200)
        .forAll(dyadicRounds(), integers().between(1, 60))
        .checkAssert((rounds, percent) -> {
          int d = rounds[0].length;
          ErrorFeedback ef = new ErrorFeedback(new TopKCodec(percent / 100.0, TopKCodec.Values.FLOAT32), d);
          double[] sent = new double[d];
          double[] input = new double[d];
          for (float[] update : rounds) {
            float[] decoded = decode(ef.codec(), ef.encode(update), d);
            for (int k = 0; k < d; k++) {
              sent[k] += decoded[k];
              input[k] += update[k];
            }
            float[] res = ef.residual();
            for (int k = 0; k < d; k++) assertThat(sent[k] + res[k]).isEqualTo(input[k]);
          }
        });
  }

  @Test
  void lossyValuesWithErrorFeedbackStayCloseOverRounds() {
    qt().withFixedSeed(SEED).withExamples(100)
        .forAll(dyadicRounds())
        .checkAssert(rounds -> {
          int d = rounds[0].length;
          for (Codec codec : List.of(Int8BlockCodec.DEFAULT, new Bf16Codec(), new TopKCodec(0.1, TopKCodec.Values.INT8))) {
            ErrorFeedback ef = new ErrorFeedback(codec, d);
            double[] gap = new double[d];
            for (float[] update : rounds) {
              float[] decoded = decode(codec, ef.encode(update), d);
              for (int k = 0; k < d; k++) gap[k] += update[k] - (double) decoded[k];
            }
            float[] res = ef.residual();
            // the residual accounts for everything not sent, up to float rounding of each round
            for (int k = 0; k < d; k++) assertThat(Math.abs(gap[k] - res[k])).isLessThan(1e-4 * rounds.length);
          }
        });
  }

  @Test
  void compressionRatiosAreAsDocumented() {
    float[] x = new float[100_000];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int k = 0; k < x.length; k++) x[k] = (float) r.nextGaussian();
    assertThat(Codec.compressionRatio(x.length, new Bf16Codec().encode(x).length)).isBetween(1.99, 2.0);
    assertThat(Codec.compressionRatio(x.length, Int8BlockCodec.DEFAULT.encode(x).length)).isBetween(3.9, 3.95);
    double topk = Codec.compressionRatio(x.length, new TopKCodec(0.01, TopKCodec.Values.FLOAT32).encode(x).length);
    double topkInt8 = Codec.compressionRatio(x.length, new TopKCodec(0.01, TopKCodec.Values.INT8).encode(x).length);
    assertThat(topk).isBetween(60.0, 100.0);
    assertThat(topkInt8).isGreaterThan(topk * 1.5);
  }

  private static float[] decode(Codec c, float[] x) {
    return decode(c, c.encode(x), x.length);
  }

  private static float[] decode(Codec c, byte[] bytes, int d) {
    try {
      return Codecs.decode(bytes, d);
    } catch (MalformedUpdateException e) {
      throw new AssertionError("own encoding rejected: " + e.getMessage(), e);
    }
  }
}
