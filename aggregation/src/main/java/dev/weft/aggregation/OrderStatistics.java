package dev.weft.aggregation;

/**
 * Coordinate-wise trimmed mean kernel shared by {@link CoordinateMedian} and {@link TrimmedMean}:
 * per coordinate, drop the b smallest and b largest values and average the rest in double, in
 * sorted order. Columns are sorted with a comparator network applied lane-wise across a chunk, so
 * the inner loops are branch-free min/max over contiguous arrays.
 *
 * <p>Influence of an input: the fraction of coordinates where it was kept, relative to the
 * fraction (n−2b)/n an input would be kept on average, capped at 1. A value equal to a trimming
 * boundary counts as kept.
 */
final class OrderStatistics {
  private OrderStatistics() {}

  /** Coordinates sorted at a time: 16 columns of 1024 floats are 64 KiB. */
  private static final int SUB = 1024;

  static Aggregator.Computed trimmed(Rows rows, int b, ChunkRunner runner, String what) {
    int n = rows.n;
    if (2 * b >= n) throw new IllegalArgumentException("cannot trim " + b + " of each side of " + n);
    int[] network = Kernels.sortingNetwork(n);
    float[] out = new float[rows.d];
    int threads = runner.threads();
    Rows.Window[] windows = Mean.windows(rows, runner);
    float[][][] cols = new float[threads][n][SUB];
    double[][] accs = new double[threads][SUB];
    long[][] trimmedCount = new long[threads][n];
    int keep = n - 2 * b;
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fill(w, from, to);
          float[][] col = cols[worker];
          double[] acc = accs[worker];
          long[] counts = trimmedCount[worker];
          // Sub-blocks keep the n columns being sorted within L1/L2; no value crosses a
          // sub-block, so the result does not depend on SUB.
          for (int s = from; s < to; s += SUB) {
            int len = Math.min(SUB, to - s);
            for (int i = 0; i < n; i++) System.arraycopy(w.arr[i], w.off[i] + (s - from), col[i], 0, len);
            Kernels.sortColumns(col, network, len);
            java.util.Arrays.fill(acc, 0, len, 0.0);
            for (int i = b; i < n - b; i++) Kernels.add(acc, col[i], 0, len);
            for (int k = 0; k < len; k++) out[s + k] = (float) (acc[k] / keep);
            if (b > 0) {
              float[] lo = col[b], hi = col[n - 1 - b];
              for (int i = 0; i < n; i++) {
                counts[i] += Kernels.countOutside(w.arr[i], w.off[i] + (s - from), lo, hi, len);
              }
            }
          }
        });
    if (!Aggregator.screened(rows)) return null;
    double[] influence = new double[n];
    String[] reasons = new String[n];
    double expectedKept = (double) keep / n;
    for (int i = 0; i < n; i++) {
      long trimmed = 0;
      for (long[] t : trimmedCount) trimmed += t[i];
      double keptFraction = rows.d == 0 ? 1 : 1 - (double) trimmed / rows.d;
      influence[i] = Math.min(1, keptFraction / expectedKept);
      reasons[i] =
          String.format(
              "%s used it in %.1f%% of coordinates (an average input: %.1f%%)",
              what, 100 * keptFraction, 100 * expectedKept);
    }
    return new Aggregator.Computed(out, influence, reasons);
  }
}
