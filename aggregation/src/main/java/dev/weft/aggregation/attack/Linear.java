package dev.weft.aggregation.attack;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Small dense linear algebra for crafting attacks (not on any honest peer's path). */
final class Linear {
  private Linear() {}

  /** Unit vector along the top right-singular direction of the rows centred on {@code mean}. */
  static double[] topDirection(List<float[]> rows, double[] mean, int iterations, long seed) {
    int d = mean.length;
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[d];
    for (int k = 0; k < d; k++) v[k] = r.nextGaussian();
    normalise(v);
    double[] next = new double[d];
    for (int it = 0; it < iterations; it++) {
      Arrays.fill(next, 0);
      for (float[] x : rows) {
        double p = dotCentred(x, mean, v);
        for (int k = 0; k < d; k++) next[k] += p * (x[k] - mean[k]);
      }
      if (normalise(next) == 0) return v;
      double[] t = v;
      v = next;
      next = t;
    }
    return v;
  }

  static double dotCentred(float[] x, double[] mean, double[] v) {
    double s = 0;
    for (int k = 0; k < v.length; k++) s += (x[k] - mean[k]) * v[k];
    return s;
  }

  static double normalise(double[] v) {
    double n = 0;
    for (double x : v) n += x * x;
    n = Math.sqrt(n);
    if (n > 0) for (int k = 0; k < v.length; k++) v[k] /= n;
    return n;
  }

  static double distance(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double t = (double) a[k] - b[k];
      s += t * t;
    }
    return Math.sqrt(s);
  }

  /** Coordinate-wise lower median of the rows. */
  static float[] coordinateMedian(List<float[]> rows) {
    int d = rows.get(0).length;
    float[] out = new float[d];
    float[] col = new float[rows.size()];
    for (int k = 0; k < d; k++) {
      for (int i = 0; i < col.length; i++) col[i] = rows.get(i)[k];
      Arrays.sort(col);
      out[k] = col[(col.length - 1) / 2];
    }
    return out;
  }
}
