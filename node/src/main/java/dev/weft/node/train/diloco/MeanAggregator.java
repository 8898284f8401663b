package dev.weft.node.train.diloco;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Coordinate-wise mean of the contributions, summed in double in worker-id order so the result is
 * independent of arrival order. Rejects non-finite values: one NaN would poison θ for everyone.
 */
public final class MeanAggregator implements PseudoGradientAggregator {
  @Override public float[] aggregate(List<Contribution> contributions) {
    if (contributions.isEmpty()) throw new IllegalArgumentException("no contributions to aggregate");
    List<Contribution> sorted = new ArrayList<>(contributions);
    sorted.sort(Comparator.comparing(Contribution::worker));
    int n = sorted.get(0).delta().length;
    double[] sum = new double[n];
    for (Contribution c : sorted) {
      float[] d = c.delta();
      if (d.length != n) throw new IllegalArgumentException("contribution from " + c.worker() + " has " + d.length + " values, expected " + n);
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(d[i])) throw new IllegalArgumentException("non-finite value in contribution from " + c.worker() + " at " + i);
        sum[i] += d[i];
      }
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) (sum[i] / sorted.size());
    return out;
  }
}
