package dev.weft.aggregation;

/**
 * The weighted geometric median argmin_v Σ wᵢ‖v − xᵢ‖, approximated by the smoothed Weiszfeld
 * iteration of RFA (Pillutla, Kakade, Harchaoui, "Robust Aggregation for Federated Learning", 2022):
 * start at the coordinate-wise median, then repeat v ← Σ βᵢxᵢ / Σ βᵢ with βᵢ = wᵢ / max(ν, ‖v − xᵢ‖), stopping
 * after {@code maxIterations} or when the objective improves by less than a relative {@code
 * tolerance}.
 *
 * <p>Guarantee: breakdown point 1/2 (by weight) for the exact geometric median; the output stays
 * within O(honest spread) of the honest geometric median while Byzantine weight is below half.
 * Not coordinate-wise, so it resists attacks spread over many coordinates better than the median.
 * RFA starts at the mean; from there a few huge inputs need many iterations to
 * be discounted, so this starts at the coordinate-wise median instead (one sorting-network pass).
 * Cost: 2 + T passes of n·d (median, distances, then one fused update+distance pass per iteration);
 * memory O(d) for the iterate plus O(n·chunk) per thread.
 *
 * <p>Influence of an input: its Weiszfeld factor max(ν, ‖v − xᵢ‖)⁻¹ relative to the largest one
 * (the input nearest the result has 1).
 */
public final class GeometricMedian extends Aggregator {
  /** Default smoothing ν: keeps β finite when v lands on an input. */
  public static final double DEFAULT_NU = 1e-6;

  private final int maxIterations;
  private final double nu;
  private final double tolerance;

  public GeometricMedian(int maxIterations, double nu, double tolerance) {
    if (maxIterations < 1 || maxIterations > 1000) {
      throw new IllegalArgumentException("maxIterations must be in [1, 1000]: " + maxIterations);
    }
    if (!(nu > 0) || Double.isInfinite(nu)) throw new IllegalArgumentException("nu must be > 0");
    if (!(tolerance >= 0)) throw new IllegalArgumentException("tolerance must be >= 0");
    this.maxIterations = maxIterations;
    this.nu = nu;
    this.tolerance = tolerance;
  }

  /** RFA's practical setting: a few iterations suffice. */
  public GeometricMedian() {
    this(8, DEFAULT_NU, 1e-6);
  }

  @Override
  public String name() {
    return "geometric-median(iters=" + maxIterations + ")";
  }

  @Override
  public int minInputs() {
    return 1;
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    int n = rows.n;
    Computed start = OrderStatistics.trimmed(rows, (n - 1) / 2, runner, "median");
    if (start == null) return null;
    float[] v = start.out();
    double[] dist = Distances.sqrt(Distances.squaredTo(rows, v, runner));
    double objective = objective(weights, dist);
    for (int t = 0; t < maxIterations; t++) {
      double[] beta = new double[n];
      for (int i = 0; i < n; i++) beta[i] = weights[i] / Math.max(nu, dist[i]);
      dist = Distances.sqrt(
          Distances.stepAndMeasure(rows, v, beta, 0, Distances.Step.REWEIGHT, runner));
      double next = objective(weights, dist);
      boolean converged = objective - next <= tolerance * objective;
      objective = next;
      if (converged) break;
    }
    double nearest = Double.POSITIVE_INFINITY;
    for (double x : dist) nearest = Math.min(nearest, Math.max(nu, x));
    double[] influence = new double[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      influence[i] = nearest / Math.max(nu, dist[i]);
      reasons[i] = String.format("distance %.4g from the geometric median (nearest input %.4g)", dist[i], nearest);
    }
    return new Computed(v, influence, reasons);
  }

  private static double objective(double[] weights, double[] dist) {
    double s = 0;
    for (int i = 0; i < dist.length; i++) s += weights[i] * dist[i];
    return s;
  }
}
