package dev.weft.aggregation;

import java.util.Arrays;

/**
 * The weighted mean Σ wᵢxᵢ / Σ wᵢ, accumulated in double in key order.
 *
 * <p>Guarantee: none against Byzantine inputs (breakdown point 0: one input can move the output
 * anywhere). It is the reference for honest rounds. Cost: one pass, n·d additions; memory O(chunk).
 */
public final class Mean extends Aggregator {
  @Override
  public String name() {
    return "mean";
  }

  @Override
  public int minInputs() {
    return 1;
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    float[] out = new float[rows.d];
    double[] scale = new double[rows.n];
    Arrays.fill(scale, 1.0);
    weightedMean(rows, weights, scale, runner, out);
    if (!screened(rows)) return null;
    double[] influence = new double[rows.n];
    Arrays.fill(influence, 1.0);
    return new Computed(out, influence, null);
  }

  /**
   * out = Σ wᵢsᵢxᵢ / Σ_{sᵢ>0} wᵢ over rows, per coordinate, in row order; rows with sᵢ = 0 are
   * skipped (a selection). With sᵢ ≤ 1 this is the mean of
   * shrunk inputs (norm clipping); with all sᵢ = 1 it is the plain weighted mean.
   */
  static void weightedMean(
      Rows rows, double[] weights, double[] scale, ChunkRunner runner, float[] out) {
    Rows.Window[] windows = windows(rows, runner);
    double[][] accs = new double[runner.threads()][ChunkRunner.CHUNK];
    double total = 0;
    double[] coef = new double[rows.n];
    boolean unit = true;
    for (int i = 0; i < rows.n; i++) {
      coef[i] = weights[i] * scale[i];
      unit &= coef[i] == 1.0;
      if (scale[i] > 0) total += weights[i];
    }
    double denominator = total;
    boolean unitCoef = unit;
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fill(w, from, to);
          double[] acc = accs[worker];
          int len = to - from;
          Arrays.fill(acc, 0, len, 0.0);
          for (int i = 0; i < rows.n; i++) {
            float[] a = w.arr[i];
            int o = w.off[i];
            if (coef[i] == 0) continue;
            if (unitCoef) Kernels.add(acc, a, o, len);
            else Kernels.addScaled(acc, coef[i], a, o, len);
          }
          for (int k = 0; k < len; k++) out[from + k] = (float) (acc[k] / denominator);
        });
  }

  static Rows.Window[] windows(Rows rows, ChunkRunner runner) {
    Rows.Window[] w = new Rows.Window[runner.threads()];
    for (int i = 0; i < w.length; i++) w[i] = rows.newWindow();
    return w;
  }
}
