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
   * skipped (a selection). Screens lazily: a chunk is checked for NaN/infinity only when its sum
   * is not finite, so the common case reads each input once. With sᵢ ≤ 1 this is the mean of
   * shrunk inputs (norm clipping); with all sᵢ = 1 it is the plain weighted mean.
   */
  static void weightedMean(
      Rows rows, double[] weights, double[] scale, ChunkRunner runner, float[] out) {
    Rows.Window[] windows = windows(rows, runner);
    double[][] accs = new double[runner.threads()][ChunkRunner.CHUNK];
    double total = 0;
    int active = 0;
    boolean unit = true;
    for (int i = 0; i < rows.n; i++) {
      if (scale[i] > 0) {
        total += weights[i];
        active++;
        unit &= weights[i] * scale[i] == 1.0;
      }
    }
    // Weighted: coefficients wᵢsᵢ/Σw ≤ 1, so the double sum of finite floats cannot overflow and a
    // non-finite sum always means a non-finite input. Unit: plain sum, divided at the end.
    int[] rowsUsed = new int[active];
    double[] coef = new double[active];
    for (int i = 0, j = 0; i < rows.n; i++) {
      if (scale[i] > 0) {
        rowsUsed[j] = i;
        coef[j++] = weights[i] * scale[i] / total;
      }
    }
    double denominator = unit ? total : 1.0;
    boolean unitCoef = unit;
    int used = active;
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fillUnscreened(w, from, to);
          double[] acc = accs[worker];
          int len = to - from;
          java.util.Arrays.fill(acc, 0, len, 0.0);
          int j = 0;
          if (unitCoef) {
            // Four rows per sweep: the same additions in the same order, a quarter of the
            // accumulator traffic.
            for (; j + 4 <= used; j += 4) {
              int a = rowsUsed[j], b = rowsUsed[j + 1], c = rowsUsed[j + 2], d = rowsUsed[j + 3];
              Kernels.add4(acc, w.arr[a], w.off[a], w.arr[b], w.off[b], w.arr[c], w.off[c], w.arr[d], w.off[d], len);
            }
            for (; j < used; j++) Kernels.add(acc, w.arr[rowsUsed[j]], w.off[rowsUsed[j]], len);
          } else {
            for (; j < used; j++) Kernels.addScaled(acc, coef[j], w.arr[rowsUsed[j]], w.off[rowsUsed[j]], len);
          }
          if (!Kernels.allFinite(acc, len)) rows.screenChunk(from, to);
          for (int k = 0; k < len; k++) out[from + k] = (float) (acc[k] / denominator);
        });
  }

  static Rows.Window[] windows(Rows rows, ChunkRunner runner) {
    Rows.Window[] w = new Rows.Window[runner.threads()];
    for (int i = 0; i < w.length; i++) w[i] = rows.newWindow();
    return w;
  }
}
