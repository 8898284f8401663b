package dev.weft.aggregation;

/**
 * Centred clipping (Karimireddy, He, Jaggi, "Learning from History for Byzantine Robust
 * Optimization", ICML 2021; the CenteredClip of BTARD, Gorbunov et al., NeurIPS 2022): start from a
 * robust estimate v₀ (by default the coordinate-wise median), then L times v ← v + Σ wᵢ·cᵢ·(xᵢ − v) /
 * Σ wᵢ with cᵢ = min(1, τ/‖xᵢ − v‖). Every input moves the result by at most τ·wᵢ/Σw per iteration,
 * however large it is.
 *
 * <p>Guarantee: with a δ &lt; 1/2 fraction of Byzantine weight and honest inputs within spread ρ of
 * their mean, the error is O(√δ·ρ) (Karimireddy et al., Thm. III); it needs no knowledge of f.
 * Cost: the start rule, one distance pass, then one fused update+distance pass per iteration: (L+1)
 * passes of n·d plus the start's; memory O(d) for the iterate plus O(n·chunk) per thread.
 *
 * <p>Influence of an input: its clipping factor cᵢ in the last iteration.
 */
public final class CenteredClip extends Aggregator {
  private final ClipRadius radius;
  private final int iterations;
  private final Aggregator start;
  private final boolean aroundPrevious;
  private final float[] previous;

  public CenteredClip(ClipRadius radius, int iterations, Aggregator start) {
    this(radius, iterations, start, false, null);
  }

  private CenteredClip(ClipRadius radius, int iterations, Aggregator start, boolean aroundPrevious, float[] previous) {
    if (iterations < 1 || iterations > 1000) {
      throw new IllegalArgumentException("iterations must be in [1, 1000]: " + iterations);
    }
    this.radius = java.util.Objects.requireNonNull(radius);
    this.iterations = iterations;
    this.start = java.util.Objects.requireNonNull(start);
    this.aroundPrevious = aroundPrevious;
    this.previous = previous;
  }

  /**
   * The paper's form: centred on the previous round's aggregate (v₀ = the last aggregate, which
   * the attackers cannot move this round), τ = k × the median distance to it, L iterations. In the
   * first round, or once the previous aggregate is unknown, it starts from the coordinate-wise
   * median instead.
   */
  public static CenteredClip aroundPreviousAggregate(ClipRadius radius, int iterations) {
    return new CenteredClip(radius, iterations, new CoordinateMedian(), true, null);
  }

  /** Whether this rule starts from the previous aggregate when it has one. */
  public boolean aroundPrevious() {
    return aroundPrevious;
  }

  /** The radius rule (attackers are assumed to know it). */
  public ClipRadius radius() {
    return radius;
  }

  public int iterations() {
    return iterations;
  }

  @Override
  Aggregator forRound(long seed, float[] previousAggregate) {
    if (!aroundPrevious) return this;
    return new CenteredClip(radius, iterations, start, true, previousAggregate == null ? null : previousAggregate.clone());
  }

  /** τ = the median distance to the start, 3 iterations, starting from the coordinate-wise median. */
  public CenteredClip() {
    this(ClipRadius.medianMultiple(1.0), 3, new CoordinateMedian());
  }

  @Override
  public String name() {
    String from = aroundPrevious ? "previous-aggregate" : start.name();
    return "centered-clip(" + radius + ",iters=" + iterations + ",start=" + from + ")";
  }

  @Override
  public int minInputs() {
    return start.minInputs();
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    float[] v;
    double[] dist;
    if (previous != null && previous.length == rows.d) {
      v = previous.clone();
      dist = Distances.sqrt(Distances.squaredTo(rows, v, runner));
      if (!screened(rows)) return null;
    } else {
      Computed initial = start.compute(rows, weights, runner);
      if (initial == null) return null;
      v = initial.out();
      dist = Distances.sqrt(Distances.squaredTo(rows, v, runner));
    }
    double tau = radius.resolve(dist);
    double total = 0;
    for (double w : weights) total += w;
    double[] c = null;
    for (int l = 0; l < iterations; l++) {
      c = ClipRadius.factors(tau, dist);
      double[] coef = new double[rows.n];
      for (int i = 0; i < rows.n; i++) coef[i] = weights[i] * c[i];
      dist = Distances.sqrt(
          Distances.stepAndMeasure(rows, v, coef, total, Distances.Step.CENTRED, runner));
    }
    String[] reasons = new String[rows.n];
    for (int i = 0; i < rows.n; i++) {
      reasons[i] = String.format("clipped to %.3g of its length (tau %.4g)", c[i], tau);
    }
    return new Computed(v, c, reasons);
  }
}
