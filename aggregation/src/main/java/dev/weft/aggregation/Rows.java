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

  /** Points {@code w} at coordinates {@code [from, to)} of every row (screening them if on). */
  abstract void fill(Window w, int from, int to);

  /**
   * Like {@link #fill} but without the screening check: for kernels whose own output reveals a
   * non-finite input (a sum of finite floats in double cannot overflow), which then call {@link
   * #screenChunk} only for chunks whose output is not finite.
   */
  abstract void fillUnscreened(Window w, int from, int to);

  /** Runs the screening check for every row on {@code [from, to)} (if screening is on). */
  abstract void screenChunk(int from, int to);

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
