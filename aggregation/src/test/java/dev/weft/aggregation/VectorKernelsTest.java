package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API loops must give exactly the scalar loops' bits, or peers would disagree. */
class VectorKernelsTest {
  private static float[] random(SplittableRandom r, int len) {
    float[] a = new float[len];
    for (int k = 0; k < len; k++) {
      a[k] = switch (r.nextInt(6)) {
        case 0 -> (float) (r.nextGaussian() * 1e30);
        case 1 -> (float) (r.nextGaussian() * 1e-30);
        case 2 -> r.nextBoolean() ? -0.0f : 0.0f;
        default -> (float) r.nextGaussian();
      };
    }
    return a;
  }

  @Test
  void vectorApiIsActiveInTests() {
    // surefire passes --add-modules jdk.incubator.vector; without it this suite would only test
    // the scalar path against itself.
    assertThat(Kernels.VECTOR).isTrue();
  }

  @Test
  void reductionsAreBitIdenticalToScalar() {
    SplittableRandom r = new SplittableRandom(3);
    for (int len = 0; len < 70; len++) {
      for (int rep = 0; rep < 20; rep++) {
        float[] a = random(r, len + 5), b = random(r, len + 9);
        int ao = r.nextInt(6), bo = r.nextInt(10);
        assertThat(Double.doubleToRawLongBits(VectorKernels.sumSquaredDiff(a, ao, b, bo, len)))
            .isEqualTo(Double.doubleToRawLongBits(Kernels.Scalar.sumSquaredDiff(a, ao, b, bo, len)));
        assertThat(Double.doubleToRawLongBits(VectorKernels.sumSquares(a, ao, len)))
            .isEqualTo(Double.doubleToRawLongBits(Kernels.Scalar.sumSquares(a, ao, len)));
        if (len > 0) a[ao + r.nextInt(len)] = r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
        assertThat(VectorKernels.allFinite(a, ao, len)).isEqualTo(Kernels.Scalar.allFinite(a, ao, len));
        assertThat(VectorKernels.allFinite(b, bo, len)).isEqualTo(Kernels.Scalar.allFinite(b, bo, len)).isTrue();
      }
    }
  }

  @Test
  void accumulationsAndMinMaxAreBitIdenticalToScalar() {
    SplittableRandom r = new SplittableRandom(4);
    for (int len = 0; len < 70; len++) {
      float[] a = random(r, len + 3), v = random(r, len + 2);
      double c = r.nextGaussian();
      double[] x = new double[len], y = new double[len];
      for (int k = 0; k < len; k++) x[k] = y[k] = r.nextGaussian();
      VectorKernels.add(x, a, 3, len);
      Kernels.Scalar.add(y, a, 3, len);
      VectorKernels.addScaled(x, c, a, 1, len);
      Kernels.Scalar.addScaled(y, c, a, 1, len);
      VectorKernels.addScaledDiff(x, c, a, 2, v, 1, len);
      Kernels.Scalar.addScaledDiff(y, c, a, 2, v, 1, len);
      float[] b = random(r, len + 1), c2 = random(r, len + 4), e = random(r, len);
      VectorKernels.add4(x, a, 0, b, 1, c2, 4, e, 0, len);
      Kernels.Scalar.add4(y, a, 0, b, 1, c2, 4, e, 0, len);
      assertThat(x).isEqualTo(y);
      float[] lo1 = random(r, len), hi1 = random(r, len);
      assertThat(VectorKernels.countOutside(a, 1, lo1, hi1, len))
          .isEqualTo(Kernels.Scalar.countOutside(a, 1, lo1, hi1, len));
      float[] lo2 = lo1.clone(), hi2 = hi1.clone();
      VectorKernels.minMax(lo1, hi1, len);
      Kernels.Scalar.minMax(lo2, hi2, len);
      for (int k = 0; k < len; k++) {
        assertThat(Float.floatToRawIntBits(lo1[k])).isEqualTo(Float.floatToRawIntBits(lo2[k]));
        assertThat(Float.floatToRawIntBits(hi1[k])).isEqualTo(Float.floatToRawIntBits(hi2[k]));
      }
    }
  }
}
