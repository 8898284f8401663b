package dev.weft.aggregation;

import java.util.Arrays;

/**
 * Krum and Multi-Krum (Blanchard et al., NeurIPS 2017; El Mhamdi et al., 2018). Each input is
 * scored by the sum of squared distances to its n−f−2 nearest other inputs; the m best-scored
 * inputs (ties broken by key order) are averaged with their weights. m = 1 is Krum, m = n−f the
 * usual Multi-Krum.
 *
 * <p>Guarantee: needs n ≥ 2f+3; with at most f Byzantine inputs the selected vectors are close to
 * honest ones (an (α, f)-Byzantine resilience bound for IID gradients). On non-IID data Krum
 * selects few, similar inputs and loses the others' information.
 *
 * <p>Cost model: the distance pass computes all n(n−1)/2 pairwise squared distances, i.e.
 * 3·n(n−1)/2·d ≈ 1.5·n²·d flops — O(n²d) — plus an O(m·d) mean; memory O(n·chunk) per thread plus
 * n²/2 doubles per chunk of partial sums. At n = 16 it is compute-bound (120 pairs per coordinate
 * vs 16 loads), so it runs several times slower than the mean.
 */
public final class Krum extends Aggregator {
  private final int f;
  private final int m;

  /**
   * @param f Byzantine inputs tolerated (≥ 0)
   * @param m inputs averaged, 1 for Krum; 0 means n−f (Multi-Krum), fixed when n is known
   */
  public Krum(int f, int m) {
    if (f < 0) throw new IllegalArgumentException("f must be >= 0: " + f);
    if (m < 0) throw new IllegalArgumentException("m must be >= 0: " + m);
    this.f = f;
    this.m = m;
  }

  /** Krum (m = 1). */
  public static Krum krum(int f) {
    return new Krum(f, 1);
  }

  /** Multi-Krum averaging the n−f best. */
  public static Krum multiKrum(int f) {
    return new Krum(f, 0);
  }

  @Override
  public String name() {
    return m == 1 ? "krum(f=" + f + ")" : "multi-krum(f=" + f + ",m=" + (m == 0 ? "n-f" : m) + ")";
  }

  @Override
  public int minInputs() {
    return Math.max(2 * f + 3, m);
  }

  int selected(int n) {
    return m == 0 ? n - f : Math.min(m, n - f);
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    int n = rows.n;
    double[][] dist = pairwiseSquaredDistances(rows, runner);
    if (!screened(rows)) return null;
    int neighbours = n - f - 2;
    double[] score = new double[n];
    double[] others = new double[n - 1];
    for (int i = 0; i < n; i++) {
      int c = 0;
      for (int j = 0; j < n; j++) if (j != i) others[c++] = dist[i][j];
      Arrays.sort(others);
      double s = 0;
      for (int k = 0; k < neighbours; k++) s += others[k];
      score[i] = s;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b]) : a - b);
    int chosen = selected(n);
    double[] scale = new double[n];
    double[] influence = new double[n];
    String[] reasons = new String[n];
    for (int r = 0; r < n; r++) {
      int i = order[r];
      if (r < chosen) {
        scale[i] = 1;
        influence[i] = 1;
      }
      reasons[i] =
          String.format(
              "%s score %.4g ranks %d of %d; only the best %d are used", name(), score[i], r + 1, n,
              chosen);
    }
    float[] out = new float[rows.d];
    Mean.weightedMean(rows, weights, scale, runner, out);
    return new Computed(out, influence, reasons);
  }

  /** Squared distances between all rows, per-chunk partials added in chunk order. */
  static double[][] pairwiseSquaredDistances(Rows rows, ChunkRunner runner) {
    int n = rows.n;
    int pairs = n * (n - 1) / 2;
    double[][] partial = new double[ChunkRunner.chunkCount(rows.d)][pairs];
    Rows.Window[] windows = Mean.windows(rows, runner);
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          rows.fill(w, from, to);
          double[] p = partial[chunk];
          int len = to - from;
          int pi = 0;
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              p[pi++] = Kernels.sumSquaredDiff(w.arr[i], w.off[i], w.arr[j], w.off[j], len);
            }
          }
        });
    double[] total = Kernels.sumChunks(partial, pairs);
    double[][] dist = new double[n][n];
    int pi = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        dist[i][j] = total[pi];
        dist[j][i] = total[pi];
        pi++;
      }
    }
    return dist;
  }
}
