package dev.weft.aggregation;

import java.util.Arrays;

/**
 * The weighted mean of inputs clipped to norm τ: xᵢ·min(1, τ/‖xᵢ‖).
 *
 * <p>Guarantee: bounds any single input's effect on the output to τ·wᵢ/Σw, so scaling attacks
 * cannot blow up the update; it does not remove a bias that f inputs of norm ≤ τ can add (f·τ/n).
 * Cost: two passes of n·d (norms, then the mean); memory O(chunk) per thread.
 *
 * <p>Influence of an input: its clipping factor.
 */
public final class NormClipping extends Aggregator {
  private final ClipRadius radius;

  public NormClipping(ClipRadius radius) {
    this.radius = java.util.Objects.requireNonNull(radius);
  }

  /** τ = the median input norm. */
  public NormClipping() {
    this(ClipRadius.medianMultiple(1.0));
  }

  @Override
  public String name() {
    return "norm-clip(" + radius + ")";
  }

  @Override
  public int minInputs() {
    return 1;
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    double[] norms = Distances.sqrt(Distances.squaredTo(rows, null, runner));
    if (!screened(rows)) return null;
    double tau = radius.resolve(norms);
    double[] c = ClipRadius.factors(tau, norms);
    boolean allZero = Arrays.stream(c).allMatch(x -> x == 0);
    if (allZero) Arrays.fill(c, 1.0); // τ = 0 only when the median norm is 0: keep the mean defined
    float[] out = new float[rows.d];
    Mean.weightedMean(rows, weights, c, runner, out);
    String[] reasons = new String[rows.n];
    for (int i = 0; i < rows.n; i++) {
      reasons[i] = String.format("norm %.4g clipped to tau %.4g", norms[i], tau);
    }
    return new Computed(out, c, reasons);
  }
}
