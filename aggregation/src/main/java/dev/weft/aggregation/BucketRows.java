package dev.weft.aggregation;

import java.util.Arrays;

/**
 * Rows that are weighted means of groups of another set of rows, computed chunk by chunk when a
 * kernel asks (so bucketing needs O(buckets·chunk) scratch, not O(buckets·d)). Members of a bucket
 * are added in the order given, in double.
 */
final class BucketRows extends Rows {
  private final Rows base;
  private final int[][] members;
  private final double[] weights;

  BucketRows(Rows base, int[][] members, double[] baseWeights) {
    super(members.length, base.d);
    this.base = base;
    this.members = members;
    this.weights = baseWeights;
  }

  Rows base() {
    return base;
  }

  @Override
  Window newWindow() {
    return new Window(n, true, base.newWindow());
  }

  @Override
  void fillUnscreened(Window w, int from, int to) {
    base.fillUnscreened(w.inner, from, to);
    average(w, from, to);
  }

  @Override
  void screenChunk(int from, int to) {
    base.screenChunk(from, to);
  }

  @Override
  void fill(Window w, int from, int to) {
    base.fill(w.inner, from, to);
    average(w, from, to);
  }

  private void average(Window w, int from, int to) {
    Window in = w.inner;
    int len = to - from;
    double[] acc = w.acc;
    for (int b = 0; b < n; b++) {
      Arrays.fill(acc, 0, len, 0.0);
      double total = 0;
      for (int m : members[b]) {
        double c = weights[m];
        total += c;
        float[] a = in.arr[m];
        int o = in.off[m];
        Kernels.addScaled(acc, c, a, o, len);
      }
      float[] s = w.scratch[b];
      for (int k = 0; k < len; k++) s[k] = (float) (acc[k] / total);
      w.arr[b] = s;
      w.off[b] = 0;
    }
  }
}
