package dev.weft.aggregation;

/**
 * The coordinate-wise β-trimmed mean: per coordinate, drop the ⌊βn⌋ smallest and ⌊βn⌋ largest
 * values and average the rest. Weights are ignored: every input counts once.
 *
 * <p>Guarantee (Yin et al., 2018): with f ≤ ⌊βn⌋ Byzantine inputs each output coordinate lies
 * within the range of the honest values; error O(β·σ) on IID data. On non-IID data and against
 * ALIE/IPM it drifts, since attackers can hide inside the honest spread. Cost: one pass, a selection
 * network per coordinate as for the median; memory O(n·chunk) per thread.
 */
public final class TrimmedMean extends Aggregator {
  private final double beta;
  private final OrderStatistics.Kernel kernel;

  /** @param beta fraction trimmed from each side, in [0, 0.5) */
  public TrimmedMean(double beta) {
    this(beta, OrderStatistics.Kernel.SELECT);
  }

  TrimmedMean(double beta, OrderStatistics.Kernel kernel) {
    requireFraction("beta", beta, 0, 0.5);
    this.beta = beta;
    this.kernel = kernel;
  }

  public double beta() {
    return beta;
  }

  @Override
  public String name() {
    return "trimmed-mean(beta=" + beta + ")";
  }

  @Override
  public int minInputs() {
    return 1;
  }

  /** Inputs trimmed from each side when there are n. */
  public int trimmed(int n) {
    // Guards against 0.25·16 evaluating to 3.9999 in floating point.
    int b = (int) Math.floor(beta * n + 1e-9);
    return Math.min(b, (n - 1) / 2);
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    return OrderStatistics.trimmed(rows, trimmed(rows.n), runner, "trimmed mean", kernel);
  }
}
