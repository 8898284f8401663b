package dev.weft.aggregation;

/**
 * Rows backed by the caller's arrays (never written). While screening is on, every window filled
 * also checks its slices for NaN and infinities and marks the offending rows; the check runs on
 * data the kernel is about to read anyway, so it costs cache reads, not another pass over memory.
 */
final class ArrayRows extends Rows {
  private final float[][] vectors;
  private final boolean[] nonFinite;
  private volatile boolean screening = true;

  ArrayRows(float[][] vectors, int d) {
    super(vectors.length, d);
    this.vectors = vectors;
    this.nonFinite = new boolean[vectors.length];
  }

  @Override
  Window newWindow() {
    return new Window(n, false, null);
  }

  @Override
  void fill(Window w, int from, int to) {
    boolean screen = screening;
    for (int r = 0; r < n; r++) {
      w.arr[r] = vectors[r];
      w.off[r] = from;
      if (screen && !Kernels.allFinite(vectors[r], from, to - from)) {
        // Several workers may set the same flag; each writes true, and the runner's join
        // publishes the writes before anyone reads them.
        nonFinite[r] = true;
      }
    }
  }

  @Override
  void fillUnscreened(Window w, int from, int to) {
    for (int r = 0; r < n; r++) {
      w.arr[r] = vectors[r];
      w.off[r] = from;
    }
  }

  @Override
  void screenChunk(int from, int to) {
    if (!screening) return;
    for (int r = 0; r < n; r++) {
      if (!Kernels.allFinite(vectors[r], from, to - from)) nonFinite[r] = true;
    }
  }

  /**
   * Ends screening (call after a complete first pass) and says whether every row was finite. Later
   * passes skip the check.
   */
  boolean finishScreening() {
    screening = false;
    for (boolean b : nonFinite) if (b) return false;
    return true;
  }

  boolean nonFinite(int row) {
    return nonFinite[row];
  }
}
