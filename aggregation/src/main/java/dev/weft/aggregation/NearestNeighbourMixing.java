package dev.weft.aggregation;

import java.util.Arrays;

/**
 * Nearest-neighbour mixing (Allouah et al., "Fixing by Mixing: A Recipe for Optimal Byzantine ML
 * under Heterogeneity", AISTATS 2023): replace every input by the mean of its n − f nearest inputs
 * (itself included), then run an inner rule on the mixed vectors. Mixing pulls the honest inputs
 * together — each mixed honest vector averages at least n − 2f honest ones — so the inner rule sees
 * a smaller honest spread, which is what heterogeneity-exploiting attacks (ALIE, mimic) hide in.
 *
 * <p>Neighbours are chosen by squared distance with ties broken by key order, so every peer picks
 * the same sets. Cost: the n(n−1)/2 pairwise distance pass of Krum, then the inner rule on n mixed
 * rows (each mixed chunk costs n·(n−f) additions, computed on the fly); memory O(n·chunk) per
 * thread beyond the inner rule's.
 *
 * <p>Influence of an input: the inner rule's influence on its mixed vector.
 */
public final class NearestNeighbourMixing extends Aggregator {
  private final int f;
  private final Aggregator inner;

  public NearestNeighbourMixing(int f, Aggregator inner) {
    if (f < 0 || f > 1024) throw new IllegalArgumentException("f must be in [0, 1024]: " + f);
    this.f = f;
    this.inner = java.util.Objects.requireNonNull(inner);
  }

  @Override
  public String name() {
    return "nnm(f=" + f + "," + inner.name() + ")";
  }

  /** n > 2f so that every neighbourhood holds an honest majority, and the inner rule's minimum. */
  @Override
  public int minInputs() {
    return Math.max(2 * f + 1, inner.minInputs());
  }

  @Override
  Aggregator forRound(long seed, float[] previous) {
    return new NearestNeighbourMixing(f, inner.forRound(seed, previous));
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    int n = rows.n;
    double[][] dist = Krum.pairwiseSquaredDistances(rows, runner);
    if (!screened(rows)) return null;
    int keep = Math.max(1, n - f);
    int[][] members = new int[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) order[j] = j;
      double[] di = dist[i];
      int self = i;
      Arrays.sort(order, (a, b) -> {
        double da = a == self ? -1 : di[a], db = b == self ? -1 : di[b];
        return da != db ? Double.compare(da, db) : a - b;
      });
      int[] m = new int[keep];
      for (int k = 0; k < keep; k++) m[k] = order[k];
      Arrays.sort(m); // add members in key order: the sum's rounding does not depend on distances
      members[i] = m;
    }
    Computed c = inner.compute(new BucketRows(rows, members, weights), weights, runner);
    if (c == null) return null;
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) reasons[i] = "mixed with its " + (keep - 1) + " nearest: " + c.reason(i);
    return new Computed(c.out(), c.influence(), reasons);
  }
}
