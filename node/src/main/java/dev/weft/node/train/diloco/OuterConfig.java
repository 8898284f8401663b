package dev.weft.node.train.diloco;

/**
 * The outer optimizer of DiLoCo (Douillard et al. 2023, arXiv:2311.08105): SGD on the aggregated
 * pseudo-gradient with learning rate {@code lr} and (Nesterov) momentum.
 */
public record OuterConfig(double lr, double momentum, boolean nesterov) {
  public OuterConfig {
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("outer lr must be positive");
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0,1)");
  }

  /** The paper's defaults: lr 0.7, Nesterov momentum 0.9. */
  public static OuterConfig diloco() {
    return new OuterConfig(0.7, 0.9, true);
  }

  /** The shared outer step (aggregation module) with these settings. */
  public dev.weft.aggregation.round.Nesterov optimizer() {
    return new dev.weft.aggregation.round.Nesterov(lr, momentum, nesterov);
  }

  /** Plain SGD: with lr 1 one round equals applying the workers' averaged update. */
  public static OuterConfig sgd(double lr) {
    return new OuterConfig(lr, 0, false);
  }
}
