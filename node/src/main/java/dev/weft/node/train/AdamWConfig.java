package dev.weft.node.train;

/**
 * Inner optimizer settings: AdamW (Loshchilov and Hutter, decoupled weight decay applied to the
 * entries whose layout says {@code decay}), global-norm gradient clipping ({@code clipNorm <= 0}
 * turns it off) and a learning-rate schedule.
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay, double clipNorm, LrSchedule schedule) {
  public AdamWConfig {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("betas must be in [0,1)");
    if (!(eps > 0)) throw new IllegalArgumentException("eps must be positive");
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0");
    if (Double.isNaN(clipNorm)) throw new IllegalArgumentException("clip norm is NaN");
  }

  /** DiLoCo's inner settings (beta2 0.95, weight decay 0.1, clip 1.0) with the given schedule. */
  public static AdamWConfig defaults(LrSchedule schedule) {
    return new AdamWConfig(0.9, 0.95, 1e-8, 0.1, 1.0, schedule);
  }
}
