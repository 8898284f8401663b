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
  void countOutsideMatchesScalar() {
    SplittableRandom r = new SplittableRandom(4);
    for (int len = 0; len < 70; len++) {
      float[] a = random(r, len + 3), lo = random(r, len), hi = random(r, len);
      assertThat(VectorKernels.countOutside(a, 1, lo, hi, len))
          .isEqualTo(Kernels.Scalar.countOutside(a, 1, lo, hi, len));
    }
  }
}
