package dev.weft.aggregation.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Byzantine strategy for evaluation: a function from what the attackers observe to the f
 * vectors they send. Implementations are deterministic given the context (randomness comes from
 * {@link AttackContext#seed()}), so simulations reproduce.
 */
public sealed interface Attack {
  String name();

  /** The f Byzantine vectors for this round. */
  List<float[]> craft(AttackContext ctx);

  private static List<float[]> copies(float[] v, int f) {
    List<float[]> out = new ArrayList<>(f);
    for (int i = 0; i < f; i++) out.add(v.clone());
    return out;
  }

  private static float[] scaled(double[] v, double s) {
    float[] out = new float[v.length];
    for (int k = 0; k < v.length; k++) out[k] = (float) (s * v[k]);
    return out;
  }

  /** No attack: the Byzantine slots send honest-looking copies of honest vectors. */
  record None() implements Attack {
    @Override public String name() { return "none"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) out.add(ctx.honest().get(i % ctx.honest().size()).clone());
      return out;
    }
  }

  /** Each attacker sends −scale × an honest vector it observed (its "own" gradient, flipped). */
  record SignFlip(double scale) implements Attack {
    @Override public String name() { return scale == 1 ? "sign-flip" : "sign-flip(x" + scale + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) {
        float[] h = ctx.honest().get(i % ctx.honest().size());
        float[] v = new float[h.length];
        for (int k = 0; k < h.length; k++) v[k] = (float) (-scale * h[k]);
        out.add(v);
      }
      return out;
    }
  }

  /**
   * Each attacker sends factor × an honest vector it observed: with a large factor, one input
   * outweighs all others in a mean; a negative factor also reverses the direction.
   */
  record Scaling(double factor) implements Attack {
    @Override public String name() { return "scaling(x" + (long) factor + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      return new SignFlip(-factor).craft(ctx);
    }
  }

  /**
   * Gaussian noise: N(0, σ²) per coordinate with σ = sigmaMultiple × the mean over coordinates of
   * the honest standard deviation, so it scales with the honest updates.
   */
  record GaussianNoise(double sigmaMultiple) implements Attack {
    @Override public String name() { return "noise(x" + sigmaMultiple + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      double[] std = ctx.honestStd();
      double avg = 0;
      for (double s : std) avg += s;
      avg /= Math.max(1, std.length);
      double sigma = sigmaMultiple * Math.max(avg, 1e-12);
      SplittableRandom r = new SplittableRandom(ctx.seed());
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) {
        float[] v = new float[ctx.d()];
        for (int k = 0; k < v.length; k++) v[k] = (float) (sigma * r.nextGaussian());
        out.add(v);
      }
      return out;
    }
  }

  /**
   * "A little is enough" (Baruch, Baruch, Goldberg, NeurIPS 2019): all attackers send μ − z·σ per
   * coordinate, small enough to hide inside the honest spread of every coordinate but consistent
   * across coordinates and rounds. z defaults (NaN) to the paper's z_max = Φ⁻¹((n − s)/n) with
   * s = ⌊n/2 + 1⌋ − f, the largest shift a majority still tolerates.
   */
  record Alie(double z) implements Attack {
    public static Alie auto() { return new Alie(Double.NaN); }
    @Override public String name() { return Double.isNaN(z) ? "alie" : "alie(z=" + z + ")"; }
    public static double zMax(int n, int f) {
      int s = n / 2 + 1 - f;
      return NormalQuantile.of((double) (n - s) / n);
    }
    @Override public List<float[]> craft(AttackContext ctx) {
      double zz = Double.isNaN(z) ? zMax(ctx.n(), ctx.f()) : z;
      double[] m = ctx.honestMean();
      double[] s = ctx.honestStd();
      float[] v = new float[m.length];
      for (int k = 0; k < v.length; k++) v[k] = (float) (m[k] - zz * s[k]);
      return copies(v, ctx.f());
    }
  }

  /**
   * Inner-product manipulation (Xie, Koyejo, Gupta, UAI 2020): all attackers send −ε·μ, so that the
   * aggregate's inner product with the true mean μ turns small or negative.
   */
  record Ipm(double epsilon) implements Attack {
    @Override public String name() { return "ipm(eps=" + epsilon + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      return copies(scaled(ctx.honestMean(), -epsilon), ctx.f());
    }
  }

  /** Free-riding: send nothing useful — a zero update, or the previous round's aggregate. */
  record FreeRider(boolean stale) implements Attack {
    @Override public String name() { return stale ? "free-ride(stale)" : "free-ride(zero)"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      float[] v = stale && ctx.previousAggregate() != null
          ? ctx.previousAggregate().clone()
          : new float[ctx.d()];
      return copies(v, ctx.f());
    }
  }

  /**
   * Mimic (Karimireddy, He, Jaggi, ICLR 2022): all attackers copy one honest worker, always the
   * same one, so on non-IID data that worker's classes are over-weighted and the others' starved —
   * without ever sending an outlier.
   */
  record Mimic(int target) implements Attack {
    @Override public String name() { return "mimic"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      return copies(ctx.honest().get(Math.floorMod(target, ctx.honest().size())), ctx.f());
    }
  }
}
