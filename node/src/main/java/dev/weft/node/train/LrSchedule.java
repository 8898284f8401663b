package dev.weft.node.train;

/**
 * Linear warm-up to {@code peak} over {@code warmupSteps}, then cosine decay to
 * {@code peak * minRatio} at {@code totalSteps}, constant afterwards. Steps count from 0 and are
 * global: a worker's schedule continues across DiLoCo rounds.
 */
public record LrSchedule(double peak, long warmupSteps, long totalSteps, double minRatio) {
  public LrSchedule {
    if (!(peak > 0) || Double.isInfinite(peak)) throw new IllegalArgumentException("peak learning rate must be positive");
    if (warmupSteps < 0 || totalSteps < 1) throw new IllegalArgumentException("bad step counts");
    if (!(minRatio >= 0 && minRatio <= 1)) throw new IllegalArgumentException("minRatio must be in [0,1]");
  }

  public static LrSchedule constant(double lr) {
    return new LrSchedule(lr, 0, 1, 1.0);
  }

  public double at(long step) {
    if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
    if (step >= totalSteps) return peak * minRatio;
    long span = Math.max(1, totalSteps - warmupSteps);
    double progress = (double) (step - warmupSteps) / span;
    double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peak * (minRatio + (1 - minRatio) * cos);
  }
}
