package dev.weft.aggregation;

/**
 * n vectors of length d that kernels read one chunk at a time, through a per-worker {@link Window}.
 * Backed either by the caller's arrays ({@link ArrayRows}) or computed on the fly from other rows
 * ({@link BucketRows}), so wrappers such as bucketing stay within O(n·chunk) memory.
 */
abstract class Rows {
  final int n;
  final int d;

  Rows(int n, int d) {
    this.n = n;
    this.d = d;
  }

  /** A window for one worker; reused across chunks by that worker only. */
  abstract Window newWindow();

  /** Points {@code w} at coordinates {@code [from, to)} of every row. */
  abstract void fill(Window w, int from, int to);

  /**
   * Per-worker view of one chunk: row {@code r}'s coordinate {@code from + k} is {@code
   * arr[r][off[r] + k]}. Kernels must only read through it.
   */
  static final class Window {
    final float[][] arr;
    final int[] off;
    final float[][] scratch;
    final Window inner;
    final double[] acc;

    Window(int n, boolean ownScratch, Window inner) {
      this.arr = new float[n][];
      this.off = new int[n];
      this.scratch = ownScratch ? new float[n][ChunkRunner.CHUNK] : null;
      this.inner = inner;
      this.acc = ownScratch ? new double[ChunkRunner.CHUNK] : null;
    }
  }
}
