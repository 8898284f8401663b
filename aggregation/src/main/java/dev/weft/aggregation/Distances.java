package dev.weft.aggregation;

import java.util.Arrays;

/** Passes that measure rows against a centre and move the centre: the iterative rules' kernels. */
final class Distances {
  private Distances() {}

  /** Squared Euclidean distance of every row to {@code v} (null means the origin: norms²). */
  static double[] squaredTo(Rows rows, float[] v, ChunkRunner runner) {
    int n = rows.n;
    double[][] partial = new double[ChunkRunner.chunkCount(rows.d)][n];
    Rows.Window[] windows = Mean.windows(rows, runner);
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fill(w, from, to);
          double[] p = partial[chunk];
          for (int i = 0; i < n; i++) {
            p[i] =
                v == null
                    ? Kernels.sumSquares(w.arr[i], w.off[i], to - from)
                    : Kernels.sumSquaredDiff(w.arr[i], w.off[i], v, from, to - from);
          }
        });
    return Kernels.sumChunks(partial, n);
  }

  /** How the centre moves in {@link #stepAndMeasure}. */
  enum Step {
    /** v ← Σ cᵢxᵢ / Σ cᵢ (a Weiszfeld step). */
    REWEIGHT,
    /** v ← v + Σ cᵢ(xᵢ − v) / norm (a centred-clipping step; norm = Σ wᵢ). */
    CENTRED
  }

  /**
   * Moves {@code v} in place by one step with coefficients {@code c}, then returns every row's
   * squared distance to the new v — both in one pass over the rows.
   */
  static double[] stepAndMeasure(
      Rows rows, float[] v, double[] c, double norm, Step step, ChunkRunner runner) {
    int n = rows.n;
    double sumC = 0;
    for (double x : c) sumC += x;
    double denominator = step == Step.REWEIGHT ? sumC : norm;
    double[][] partial = new double[ChunkRunner.chunkCount(rows.d)][n];
    Rows.Window[] windows = Mean.windows(rows, runner);
    double[][] accs = new double[runner.threads()][ChunkRunner.CHUNK];
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fill(w, from, to);
          int len = to - from;
          double[] acc = accs[worker];
          Arrays.fill(acc, 0, len, 0.0);
          for (int i = 0; i < n; i++) {
            double ci = c[i];
            if (ci == 0) continue;
            float[] a = w.arr[i];
            int o = w.off[i];
            if (step == Step.REWEIGHT) Kernels.addScaled(acc, ci, a, o, len);
            else Kernels.addScaledDiff(acc, ci, a, o, v, from, len);
          }
          if (step == Step.REWEIGHT) {
            for (int k = 0; k < len; k++) v[from + k] = (float) (acc[k] / denominator);
          } else {
            for (int k = 0; k < len; k++) {
              v[from + k] = (float) (v[from + k] + acc[k] / denominator);
            }
          }
          double[] p = partial[chunk];
          for (int i = 0; i < n; i++) {
            p[i] = Kernels.sumSquaredDiff(w.arr[i], w.off[i], v, from, len);
          }
        });
    return Kernels.sumChunks(partial, n);
  }

  /** The lower median of {@code values} (element ⌊(n−1)/2⌋ in sorted order). */
  static double lowerMedian(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }

  static double[] sqrt(double[] squared) {
    double[] r = new double[squared.length];
    for (int i = 0; i < r.length; i++) r[i] = Math.sqrt(squared[i]);
    return r;
  }
}
