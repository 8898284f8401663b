package dev.weft.aggregation;

/**
 * The coordinate-wise median (for even n, the mean of the two middle values). Weights are ignored:
 * every input counts once.
 *
 * <p>Guarantee: breakdown point 1/2 per coordinate — with f &lt; n/2 Byzantine inputs each output
 * coordinate lies within the range of the honest values in that coordinate. It is biased on
 * non-IID data and weak against small coordinated shifts (ALIE). Cost: one pass; per coordinate a
 * selection network of at most O(n log² n) integer min/max operations; memory O(n·chunk) per thread.
 */
public final class CoordinateMedian extends Aggregator {
  private final OrderStatistics.Kernel kernel;

  public CoordinateMedian() {
    this(OrderStatistics.Kernel.SELECT);
  }

  CoordinateMedian(OrderStatistics.Kernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public String name() {
    return "median";
  }

  @Override
  public int minInputs() {
    return 1;
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    return OrderStatistics.trimmed(rows, (rows.n - 1) / 2, runner, "median", kernel);
  }
}
