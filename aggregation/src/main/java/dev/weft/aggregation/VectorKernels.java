package dev.weft.aggregation;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link Kernels.Scalar}'s reductions, bit-identical to them: every operation is
 * lane-wise IEEE arithmetic in the same order, and reductions keep eight lanes (two 256-bit double
 * vectors: elements k..k+3 and k+4..k+7) that are combined exactly like the scalar code. Fixed
 * 256-bit species rather than the preferred ones, so the lane layout is the same on every CPU.
 * Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorKernels {
  private VectorKernels() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  private static final int STEP = 8;

  static boolean allFinite(float[] a, int off, int len) {
    IntVector max = IntVector.zero(I);
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      max = max.max(FloatVector.fromArray(F, a, off + k).reinterpretAsInts().and(Kernels.EXP_MASK));
    }
    int m = max.reduceLanes(VectorOperators.MAX); // integer max: order does not matter
    for (; k < len; k++) m = Math.max(m, Float.floatToRawIntBits(a[off + k]) & Kernels.EXP_MASK);
    return m != Kernels.EXP_MASK;
  }

  private static DoubleVector lo(FloatVector f) {
    return (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
  }

  private static DoubleVector hi(FloatVector f) {
    return (DoubleVector) f.convertShape(VectorOperators.F2D, D, 1);
  }

  static double sumSquaredDiff(float[] a, int ao, float[] b, int bo, int len) {
    DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      FloatVector x = FloatVector.fromArray(F, a, ao + k);
      FloatVector y = FloatVector.fromArray(F, b, bo + k);
      DoubleVector d0 = lo(x).sub(lo(y));
      DoubleVector d1 = hi(x).sub(hi(y));
      s0 = s0.add(d0.mul(d0));
      s1 = s1.add(d1.mul(d1));
    }
    return finish(s0, s1, k, len, a, ao, b, bo);
  }

  static double sumSquares(float[] a, int ao, int len) {
    DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      FloatVector x = FloatVector.fromArray(F, a, ao + k);
      DoubleVector d0 = lo(x), d1 = hi(x);
      s0 = s0.add(d0.mul(d0));
      s1 = s1.add(d1.mul(d1));
    }
    return finish(s0, s1, k, len, a, ao, null, 0);
  }

  private static double finish(
      DoubleVector s0, DoubleVector s1, int k, int len, float[] a, int ao, float[] b, int bo) {
    double l0 = s0.lane(0);
    for (; k < len; k++) {
      double d = b == null ? a[ao + k] : (double) a[ao + k] - b[bo + k];
      l0 += d * d;
    }
    return Kernels.combine8(l0, s0.lane(1), s0.lane(2), s0.lane(3), s1.lane(0), s1.lane(1), s1.lane(2), s1.lane(3));
  }





  static int countOutside(float[] a, int ao, float[] lo, float[] hi, int len) {
    int c = 0;
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      FloatVector x = FloatVector.fromArray(F, a, ao + k);
      c += x.lt(FloatVector.fromArray(F, lo, k)).or(x.compare(VectorOperators.GT, FloatVector.fromArray(F, hi, k))).trueCount();
    }
    for (; k < len; k++) {
      float v = a[ao + k];
      c += (v < lo[k] | v > hi[k]) ? 1 : 0;
    }
    return c;
  }

  /** {@link Kernels#toKeys}: C2 does not vectorise {@code Float.floatToRawIntBits} loops. */
  static void toKeys(float[] a, int ao, int[] dst, int len) {
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      IntVector v = FloatVector.fromArray(F, a, ao + k).reinterpretAsInts();
      v.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff))
          .intoArray(dst, k);
    }
    for (; k < len; k++) dst[k] = Kernels.key(Float.floatToRawIntBits(a[ao + k]));
  }

  /** {@link Kernels#fromKeys}. */
  static void fromKeys(int[] src, float[] dst, int dstOff, int len) {
    int k = 0;
    for (; k + STEP <= len; k += STEP) {
      IntVector v = IntVector.fromArray(I, src, k);
      v.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff))
          .reinterpretAsFloats()
          .intoArray(dst, dstOff + k);
    }
    for (; k < len; k++) dst[dstOff + k] = Float.intBitsToFloat(Kernels.key(src[k]));
  }
  private static final VectorSpecies<Float> FP = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> IP = IntVector.SPECIES_PREFERRED;

  private static IntVector key(FloatVector f) {
    IntVector v = f.reinterpretAsInts();
    return v.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff));
  }

  /**
   * {@link Kernels#toKeysSorted4}. Min/max of keys is exact, so the preferred (widest) species is
   * used: the lane count cannot change a result.
   */
  static void toKeysSorted4(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d, int dof,
      int[] ka, int[] kb, int[] kc, int[] kd, int len) {
    int step = Math.min(FP.length(), IP.length());
    int k = 0;
    for (; k + step <= len; k += step) {
      IntVector x0 = key(FloatVector.fromArray(FP, a, ao + k));
      IntVector x1 = key(FloatVector.fromArray(FP, b, bo + k));
      IntVector x2 = key(FloatVector.fromArray(FP, c, co + k));
      IntVector x3 = key(FloatVector.fromArray(FP, d, dof + k));
      IntVector t;
      t = x0.min(x1); x1 = x0.max(x1); x0 = t;
      t = x2.min(x3); x3 = x2.max(x3); x2 = t;
      t = x0.min(x2); x2 = x0.max(x2); x0 = t;
      t = x1.min(x3); x3 = x1.max(x3); x1 = t;
      t = x1.min(x2); x2 = x1.max(x2); x1 = t;
      x0.intoArray(ka, k);
      x1.intoArray(kb, k);
      x2.intoArray(kc, k);
      x3.intoArray(kd, k);
    }
    if (k < len) Kernels.Scalar.toKeysSorted4(a, ao + k, b, bo + k, c, co + k, d, dof + k, ka, kb, kc, kd, k, len - k);
  }
  /** {@link Kernels#merge8}, with the preferred species (exact: min/max of ints). */
  static void merge8(int[] r0, int[] r1, int[] r2, int[] r3, int[] r4, int[] r5, int[] r6, int[] r7, int len) {
    int step = IP.length();
    int k = 0;
    for (; k + step <= len; k += step) {
      IntVector x0 = IntVector.fromArray(IP, r0, k), x1 = IntVector.fromArray(IP, r1, k);
      IntVector x2 = IntVector.fromArray(IP, r2, k), x3 = IntVector.fromArray(IP, r3, k);
      IntVector x4 = IntVector.fromArray(IP, r4, k), x5 = IntVector.fromArray(IP, r5, k);
      IntVector x6 = IntVector.fromArray(IP, r6, k), x7 = IntVector.fromArray(IP, r7, k);
      IntVector t;
      t = x0.min(x4); x4 = x0.max(x4); x0 = t;
      t = x1.min(x5); x5 = x1.max(x5); x1 = t;
      t = x2.min(x6); x6 = x2.max(x6); x2 = t;
      t = x3.min(x7); x7 = x3.max(x7); x3 = t;
      t = x2.min(x4); x4 = x2.max(x4); x2 = t;
      t = x3.min(x5); x5 = x3.max(x5); x3 = t;
      t = x1.min(x2); x2 = x1.max(x2); x1 = t;
      t = x3.min(x4); x4 = x3.max(x4); x3 = t;
      t = x5.min(x6); x6 = x5.max(x6); x5 = t;
      x0.intoArray(r0, k); x1.intoArray(r1, k); x2.intoArray(r2, k); x3.intoArray(r3, k);
      x4.intoArray(r4, k); x5.intoArray(r5, k); x6.intoArray(r6, k); x7.intoArray(r7, k);
    }
    if (k < len) Kernels.Scalar.merge8(r0, r1, r2, r3, r4, r5, r6, r7, k, len);
  }
}
