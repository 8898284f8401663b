package dev.weft.aggregation;

/**
 * Coordinate-wise trimmed mean kernel shared by {@link CoordinateMedian} and {@link TrimmedMean}:
 * per coordinate, drop the b smallest and b largest values and average the rest in double, in
 * sorted order. Columns are processed a sub-block of coordinates at a time, transposed so that a
 * comparator network runs lane-wise: the inner loops are branch-free min/max over contiguous
 * arrays, which C2 vectorises.
 *
 * <p>Two kernels give bit-identical results ({@code OrderStatisticsKernelTest}):
 *
 * <ul>
 *   <li>{@link Kernel#SELECT} (used): floats are mapped to order-preserving int keys ({@link
 *       Kernels#key}), so each compare-exchange is one integer min and one max, and only the
 *       comparators of the sorting network that can reach ranks b..n−1−b run ({@link
 *       Kernels#selectionNetwork}; at n = 16 the median needs 53 of its 63 comparators, the
 *       0.25-trimmed mean 61).
 *   <li>{@link Kernel#SORT} (the reference, the original kernel): the full network on floats with
 *       {@code Math.min}/{@code Math.max}.
 * </ul>
 *
 * Both order by {@code Float.compare} (NaN is screened out before): −0.0 sorts before +0.0, equal
 * values are identical bit patterns, so the kept ranks — and their double sum, taken in rank
 * order starting from +0.0 — are the same bits either way.
 *
 * <p>Influence of an input: the fraction of coordinates where it was kept, relative to the
 * fraction (n−2b)/n an input would be kept on average, capped at 1. A value equal ({@code ==}, so
 * −0.0 equals +0.0) to a trimming boundary counts as kept.
 */
final class OrderStatistics {
  private OrderStatistics() {}

  /** Which per-block kernel runs; both give the same bits. */
  enum Kernel {
    SELECT,
    SORT
  }

  /** Coordinates processed at a time: 16 columns of 512 keys are 32 KiB. */
  static final int SUB = 512;

  static Aggregator.Computed trimmed(Rows rows, int b, ChunkRunner runner, String what) {
    return trimmed(rows, b, runner, what, Kernel.SELECT);
  }

  static Aggregator.Computed trimmed(Rows rows, int b, ChunkRunner runner, String what, Kernel kernel) {
    int n = rows.n;
    if (2 * b >= n) throw new IllegalArgumentException("cannot trim " + b + " of each side of " + n);
    float[] out = new float[rows.d];
    int threads = runner.threads();
    Rows.Window[] windows = Mean.windows(rows, runner);
    Block[] blocks = new Block[threads];
    for (int t = 0; t < threads; t++) blocks[t] = kernel == Kernel.SELECT ? new SelectBlock(n, b) : new SortBlock(n, b);
    long[][] trimmedCount = new long[threads][n];
    int keep = n - 2 * b;
    runner.forEachChunk(
        rows.d,
        (chunk, from, to, worker) -> {
          Rows.Window w = windows[worker];
          Block block = blocks[worker];
          // A block that sees group extremes screens for free: the NaN/∞ check then runs only
          // on chunks where it found a non-finite key (as the mean does), saving a read.
          if (block.screensItself()) rows.fillUnscreened(w, from, to);
          else rows.fill(w, from, to);
          boolean nonFinite = false;
          // Sub-blocks keep the n columns within L1/L2; no value crosses a sub-block, so the
          // result does not depend on SUB.
          for (int s = from; s < to; s += SUB) {
            nonFinite |= block.apply(w.arr, w.off, s - from, Math.min(SUB, to - s), out, s, trimmedCount[worker]);
          }
          if (nonFinite) rows.screenChunk(from, to);
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

  /**
   * One thread's scratch and per-sub-block step: for k in [0, len), coordinate k is row i's value
   * {@code src[i][off[i] + delta + k]}; writes {@code out[outOff + k]} and adds to {@code counts[i]}
   * how many of row i's values were trimmed (strictly outside the kept range). Not thread-safe.
   */
  abstract static class Block {
    final int n, b, keep;
    final int[] network;
    final double[] acc = new double[SUB];

    Block(int n, int b, int[] network) {
      this.n = n;
      this.b = b;
      this.keep = n - 2 * b;
      this.network = network;
    }

    /**
     * Runs the step; returns true if it saw a non-finite value (only meaningful when {@link
     * #screensItself}; then false guarantees all values were finite).
     */
    abstract boolean apply(float[][] src, int[] off, int delta, int len, float[] out, int outOff, long[] counts);

    /** Whether {@link #apply}'s return value reliably detects NaN and ±∞. */
    boolean screensItself() {
      return false;
    }

    /** Averages the kept ranks (in rank order) and counts trimmed values; shared by both kernels. */
    final void finish(float[][] src, int[] off, int delta, int len, float[][] ranks, int first, float[] out, int outOff, long[] counts) {
      java.util.Arrays.fill(acc, 0, len, 0.0);
      for (int r = 0; r < keep; r++) Kernels.add(acc, ranks[first + r], 0, len);
      for (int k = 0; k < len; k++) out[outOff + k] = (float) (acc[k] / keep);
      if (b > 0) {
        float[] lo = ranks[first], hi = ranks[first + keep - 1];
        for (int i = 0; i < n; i++) counts[i] += Kernels.countOutside(src[i], off[i] + delta, lo, hi, len);
      }
    }
  }

  /** The selection kernel: int keys, pruned network, converts back only the kept ranks. */
  static final class SelectBlock extends Block {
    private final int[][] keys;
    private final float[][] kept;

    private final boolean sorted4;

    private final boolean sorted8;

    SelectBlock(int n, int b) {
      super(n, b, network(n, b));
      sorted4 = n % 4 == 0;
      sorted8 = n % 8 == 0;
      keys = new int[n][SUB];
      kept = new float[n - 2 * b][SUB];
    }

    private static int[] network(int n, int b) {
      if (n % 8 == 0) return Kernels.selectionNetworkAfterSorted8(n, b, n - 1 - b);
      if (n % 4 == 0) return Kernels.selectionNetworkAfterSorted4(n, b, n - 1 - b);
      return Kernels.selectionNetwork(n, b, n - 1 - b);
    }

    @Override
    boolean screensItself() {
      return sorted4;
    }

    @Override
    boolean apply(float[][] src, int[] off, int delta, int len, float[] out, int outOff, long[] counts) {
      if (sorted4) {
        for (int i = 0; i < n; i += 4) {
          Kernels.toKeysSorted4(
              src[i], off[i] + delta, src[i + 1], off[i + 1] + delta, src[i + 2], off[i + 2] + delta,
              src[i + 3], off[i + 3] + delta, keys[i], keys[i + 1], keys[i + 2], keys[i + 3], len);
        }
        if (sorted8) {
          for (int i = 0; i < n; i += 8) {
            Kernels.merge8(keys[i], keys[i + 1], keys[i + 2], keys[i + 3], keys[i + 4], keys[i + 5], keys[i + 6], keys[i + 7], len);
          }
        }
      } else {
        for (int i = 0; i < n; i++) Kernels.toKeys(src[i], off[i] + delta, keys[i], len);
      }
      // Each group's smallest and largest key now sit in its first and last row (before the rest
      // of the network mixes groups); a NaN or ±∞ key lies outside the finite keys, so it is one of
      // them.
      boolean nonFinite = false;
      if (sorted4) {
        int g = sorted8 ? 8 : 4;
        for (int i = 0; i < n; i += g) nonFinite |= !Kernels.keysFinite(keys[i], keys[i + g - 1], len);
      }
      Kernels.sortColumns(keys, network, len);
      for (int r = 0; r < keep; r++) Kernels.fromKeys(keys[b + r], kept[r], 0, len);
      finish(src, off, delta, len, kept, 0, out, outOff, counts);
      return nonFinite;
    }
  }

  /** The reference kernel: copies the floats and sorts every column fully. */
  static final class SortBlock extends Block {
    private final float[][] cols;

    SortBlock(int n, int b) {
      super(n, b, Kernels.sortingNetwork(n));
      cols = new float[n][SUB];
    }

    @Override
    boolean apply(float[][] src, int[] off, int delta, int len, float[] out, int outOff, long[] counts) {
      for (int i = 0; i < n; i++) System.arraycopy(src[i], off[i] + delta, cols[i], 0, len);
      Kernels.sortColumns(cols, network, len);
      finish(src, off, delta, len, cols, b, out, outOff, counts);
      return false;
    }
  }
}
