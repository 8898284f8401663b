package dev.weft.aggregation.round;

import dev.weft.aggregation.ChunkRunner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SGD with (Nesterov) momentum on the pseudo-gradient, PyTorch-SGD style, as in DiLoCo (Douillard
 * et al. 2023, arXiv:2311.08105): {@code b ← μ·b + Δ; u = nesterov ? Δ + μ·b : b; θ ← θ − lr·u}.
 * Arithmetic is in double and rounded once to float (the buffer is stored as float, u uses the
 * unrounded b), so with lr 1 and no momentum θ − (θ − θ') gives back θ' exactly.
 */
public record Nesterov(double lr, double momentum, boolean nesterov) implements OuterOptimizer {
  public Nesterov {
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("outer lr must be positive and finite: " + lr);
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0,1): " + momentum);
  }

  /** The paper's defaults: lr 0.7, Nesterov momentum 0.9. */
  public static Nesterov diloco() {
    return new Nesterov(0.7, 0.9, true);
  }

  /** Plain SGD: with lr 1 one round applies the averaged update. */
  public static Nesterov sgd(double lr) {
    return new Nesterov(lr, 0, false);
  }

  @Override
  public String name() {
    return (nesterov ? "nesterov" : "sgd") + "(lr=" + lr + ",momentum=" + momentum + ")";
  }

  @Override
  public boolean step(float[] theta, float[] aggregate, float[] m, float[] thetaOut, float[] mOut, ChunkRunner runner) {
    int d = theta.length;
    if (aggregate.length != d || m.length != d || thetaOut.length != d || mOut.length != d) {
      throw new IllegalArgumentException("length mismatch");
    }
    double mu = momentum;
    AtomicBoolean finite = new AtomicBoolean(true);
    runner.forEachChunk(d, (chunk, from, to, worker) -> {
      boolean ok = true;
      for (int i = from; i < to; i++) {
        double delta = aggregate[i];
        double u = delta;
        if (mu > 0) {
          double b = mu * m[i] + delta;
          mOut[i] = (float) b;
          u = nesterov ? delta + mu * b : b;
        } else {
          mOut[i] = m[i];
        }
        float t = (float) (theta[i] - lr * u);
        thetaOut[i] = t;
        ok &= Float.isFinite(t) && Float.isFinite(mOut[i]);
      }
      if (!ok) finite.set(false);
    });
    return finite.get();
  }
}
