package dev.weft.node.train;

/**
 * What a run of inner steps did: the training loss of each step (mean cross-entropy in nats per
 * token), the tokens it consumed, the wall time it took and the global step it ended at.
 */
public record TrainMetrics(double[] lossPerStep, long tokens, long nanos, long endStep) {
  public TrainMetrics {
    lossPerStep = lossPerStep.clone();
  }

  @Override public double[] lossPerStep() {
    return lossPerStep.clone();
  }

  public double lastLoss() {
    return lossPerStep.length == 0 ? Double.NaN : lossPerStep[lossPerStep.length - 1];
  }

  public double meanLoss() {
    double s = 0;
    for (double l : lossPerStep) s += l;
    return lossPerStep.length == 0 ? Double.NaN : s / lossPerStep.length;
  }

  public double tokensPerSecond() {
    return nanos == 0 ? 0 : tokens * 1e9 / nanos;
  }
}
