package dev.weft.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * Loops shared by the aggregators. Every reduction here has a fixed association order (four
 * interleaved double accumulators combined as (s0+s1)+(s2+s3)) so that results are bit-identical
 * on every JVM: Java floating point is strict, and the order is written out.
 */
final class Kernels {
  private Kernels() {}

  private static final int EXP_MASK = 0x7f800000;

  /** True if no element of {@code a[off, off+len)} is NaN or infinite. */
  static boolean allFinite(float[] a, int off, int len) {
    // An int max over the exponent bits vectorises; an early-exit loop would not.
    int max = 0;
    for (int k = off, end = off + len; k < end; k++) {
      max = Math.max(max, Float.floatToRawIntBits(a[k]) & EXP_MASK);
    }
    return max != EXP_MASK;
  }

  /** Σ (a[ao+k] − b[bo+k])² over k in [0, len), in double. */
  static double sumSquaredDiff(float[] a, int ao, float[] b, int bo, int len) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      double d0 = (double) a[ao + k] - b[bo + k];
      double d1 = (double) a[ao + k + 1] - b[bo + k + 1];
      double d2 = (double) a[ao + k + 2] - b[bo + k + 2];
      double d3 = (double) a[ao + k + 3] - b[bo + k + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; k < len; k++) {
      double d0 = (double) a[ao + k] - b[bo + k];
      s0 += d0 * d0;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ a[ao+k]² over k in [0, len), in double. */
  static double sumSquares(float[] a, int ao, int len) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      double d0 = a[ao + k], d1 = a[ao + k + 1], d2 = a[ao + k + 2], d3 = a[ao + k + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; k < len; k++) {
      double d0 = a[ao + k];
      s0 += d0 * d0;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Adds per-chunk partials {@code partial[c][i]} in chunk order into one value per i. */
  static double[] sumChunks(double[][] partial, int width) {
    double[] total = new double[width];
    for (double[] p : partial) for (int i = 0; i < width; i++) total[i] += p[i];
    return total;
  }

  /**
   * Comparators (pairs i&lt;j: after it, element i ≤ element j) of Batcher's odd–even merge sort
   * for n elements. Built for the next power of two; comparators touching padding are dropped,
   * which is valid because padding would be +∞ at the end and never moves.
   */
  static int[] sortingNetwork(int n) {
    int p = 1;
    while (p < n) p <<= 1;
    List<int[]> pairs = new ArrayList<>();
    for (int size = 1; size < p; size <<= 1) {
      for (int k = size; k >= 1; k >>= 1) {
        for (int j = k % size; j + k < p; j += 2 * k) {
          for (int i = 0; i < Math.min(k, p - j - k); i++) {
            int a = i + j, b = i + j + k;
            if ((a / (2 * size)) == (b / (2 * size)) && b < n) pairs.add(new int[] {a, b});
          }
        }
      }
    }
    int[] flat = new int[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      flat[2 * i] = pairs.get(i)[0];
      flat[2 * i + 1] = pairs.get(i)[1];
    }
    return flat;
  }

  /** Applies a comparator network lane-wise: each column k of rows[·][0, len) ends sorted. */
  static void sortColumns(float[][] rows, int[] network, int len) {
    for (int c = 0; c < network.length; c += 2) {
      float[] lo = rows[network[c]], hi = rows[network[c + 1]];
      for (int k = 0; k < len; k++) {
        float a = lo[k], b = hi[k];
        lo[k] = Math.min(a, b);
        hi[k] = Math.max(a, b);
      }
    }
  }
}
