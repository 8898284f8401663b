package dev.weft.node.train.diloco;

/**
 * Applies an aggregated pseudo-gradient Δ to θ, PyTorch-SGD style:
 * {@code b ← μ·b + Δ; u = Nesterov ? Δ + μ·b : b; θ ← θ − lr·u}. Arithmetic is in double and
 * rounded once to float, so with lr 1 and no momentum θ − (θ − θ') gives back θ' exactly.
 *
 * <p>State (the momentum buffer and the number of rounds applied) is what a checkpoint stores
 * besides θ. Not thread-safe.
 */
public final class OuterOptimizer {
  private final OuterConfig config;
  private final float[] momentum;
  private long rounds;

  public OuterOptimizer(OuterConfig config, int size) {
    this(config, new float[size], 0);
  }

  /** Restores saved state; {@code momentum} is copied. */
  public OuterOptimizer(OuterConfig config, float[] momentum, long rounds) {
    if (rounds < 0) throw new IllegalArgumentException("negative round count");
    for (int i = 0; i < momentum.length; i++) {
      if (!Float.isFinite(momentum[i])) throw new IllegalArgumentException("non-finite momentum at " + i);
    }
    this.config = config;
    this.momentum = momentum.clone();
    this.rounds = rounds;
  }

  /** Returns the new θ; {@code theta} and {@code delta} are not modified. */
  public float[] apply(float[] theta, float[] delta) {
    if (theta.length != momentum.length || delta.length != momentum.length) throw new IllegalArgumentException("length mismatch");
    float[] out = new float[theta.length];
    double mu = config.momentum(), lr = config.lr();
    for (int i = 0; i < theta.length; i++) {
      double d = delta[i];
      double u = d;
      if (mu > 0) {
        double b = mu * momentum[i] + d;
        momentum[i] = (float) b;
        u = config.nesterov() ? d + mu * b : b;
      }
      out[i] = (float) (theta[i] - lr * u);
      if (!Float.isFinite(out[i])) throw new IllegalStateException("outer step produced a non-finite parameter at " + i);
    }
    rounds++;
    return out;
  }

  public OuterConfig config() {
    return config;
  }

  public float[] momentum() {
    return momentum.clone();
  }

  public long rounds() {
    return rounds;
  }
}
