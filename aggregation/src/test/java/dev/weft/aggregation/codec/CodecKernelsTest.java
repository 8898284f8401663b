package dev.weft.aggregation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorised codec loops against the scalar ones (same bytes, same floats), on values chosen to
 * hit Math.round's edges, and the sampled top-k selection against the full one.
 */
class CodecKernelsTest {
  @Test
  void vectorQuantisationGivesTheScalarBytes() {
    assertThat(CodecKernels.VECTOR).as("tests run with jdk.incubator.vector").isTrue();
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(300);
      float[] x = new float[n];
      float inv = trial % 3 == 0 ? 1f : (float) (1 + 100 * r.nextDouble());
      for (int k = 0; k < n; k++) {
        x[k] = switch (r.nextInt(6)) {
          case 0 -> (r.nextInt(255) - 127) + 0.5f; // exact .5 ties (inv 1)
          case 1 -> Math.nextDown(0.5f);
          case 2 -> -Math.nextDown(0.5f);
          case 3 -> (float) (r.nextGaussian() * 200);
          case 4 -> 0f;
          default -> (float) (r.nextGaussian() * 127 / inv);
        };
      }
      byte[] a = new byte[n + 5], b = new byte[n + 5];
      CodecKernels.Scalar.quantise(x, 0, n, inv, a, 3);
      CodecVectorKernels.quantise(x, 0, n, inv, b, 3);
      assertThat(b).as("trial %d", trial).containsExactly(a);
      assertThat(CodecVectorKernels.maxAbs(x, 1 % n, n)).isEqualTo(CodecKernels.Scalar.maxAbs(x, 1 % n, n));
      float[] fa = new float[n], fb = new float[n];
      int ea = CodecKernels.Scalar.dequantise(a, 3, 0.37f, fa, 0, n);
      int eb = CodecVectorKernels.dequantise(b, 3, 0.37f, fb, 0, n);
      assertThat(eb).isEqualTo(ea).isEqualTo(-1);
      assertThat(fb).containsExactly(fa);
    }
    byte[] bad = new byte[40];
    bad[33] = -128;
    assertThat(CodecVectorKernels.dequantise(bad, 0, 1f, new float[40], 0, 40)).isEqualTo(33);
  }

  @Test
  void sampledTopKEqualsTheFullSelection() {
    SplittableRandom r = new SplittableRandom(4);
    for (int trial = 0; trial < 12; trial++) {
      int d = TopKCodec.SAMPLED_MIN_D + r.nextInt(200_000);
      float[] x = new float[d];
      int kind = trial % 4;
      for (int i = 0; i < d; i++) {
        x[i] = switch (kind) {
          case 0 -> (float) r.nextGaussian();
          case 1 -> (float) Math.round(r.nextGaussian() * 3); // many ties
          case 2 -> i % 1000 == 0 ? 100f : (float) (r.nextDouble() * 1e-3); // spikes the sample misses
          default -> 1f; // all equal
        };
      }
      for (double fraction : new double[] {0.001, 0.01, 0.05}) {
        int k = (int) Math.ceil(fraction * d);
        assertThat(TopKCodec.topIndices(x, k)).as("trial %d fraction %s", trial, fraction)
            .containsExactly(TopKCodec.topIndicesExact(x.clone(), k));
      }
    }
  }

  @Test
  void int8MatchesItsDefinitionValueByValue() throws Exception {
    float[] x = new float[70_001];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    byte[] e = Int8BlockCodec.DEFAULT.encode(x);
    float[] back = Int8BlockCodec.DEFAULT.decode(e, x.length);
    for (int i = 0; i < x.length; i++) assertThat(back[i]).isEqualTo(Math.round(x[i] * (1f / scaleOf(x, i))) * scaleOf(x, i));
    assertThat(Arrays.equals(e, Int8BlockCodec.DEFAULT.encode(x.clone()))).isTrue();
  }

  private static float scaleOf(float[] x, int i) {
    int from = i / Int8BlockCodec.DEFAULT_BLOCK * Int8BlockCodec.DEFAULT_BLOCK;
    int to = Math.min(x.length, from + Int8BlockCodec.DEFAULT_BLOCK);
    float max = 0;
    for (int k = from; k < to; k++) max = Math.max(max, Math.abs(x[k]));
    return max / 127f;
  }
}
