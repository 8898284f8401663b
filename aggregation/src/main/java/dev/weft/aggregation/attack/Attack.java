package dev.weft.aggregation.attack;

import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.round.Contribution;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Byzantine strategy for evaluation: a function from what the attackers observe to the f
 * vectors they send. Implementations are deterministic given the context (randomness comes from
 * {@link AttackContext#seed()}), so simulations reproduce.
 */
public sealed interface Attack {
  /** For strategies defined outside this file (tests, experiments). */
  non-sealed interface Custom extends Attack {}

  String name();

  /** The f Byzantine vectors for this round, as they decode. */
  List<float[]> craft(AttackContext ctx);

  /**
   * What the attackers put on the wire under {@code keys}: by default each crafted vector encoded
   * in the run's codec (dense without one; dense too when not finite, since no honest encoder can
   * encode NaN — the round step rejects it either way). Attacks in the compressed domain override
   * this to write bytes no honest encoder produces.
   */
  default List<Contribution> contributions(AttackContext ctx, Codec codecOrNull, List<String> keys) {
    List<float[]> v = craft(ctx);
    List<Contribution> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      float[] x = v.get(i);
      boolean finite = true;
      for (float e : x) finite &= Float.isFinite(e);
      out.add(codecOrNull == null || !finite
          ? new Contribution.Dense(keys.get(i), x, 1.0)
          : new Contribution.Encoded(keys.get(i), codecOrNull.encode(x), 1.0));
    }
    return out;
  }

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

  /**
   * Each attacker sends −scale × its own honest pseudo-gradient (trained on its own data, so not a
   * copy of an honest input that the mean would cancel); without own data, an observed honest one.
   */
  record SignFlip(double scale) implements Attack {
    @Override public String name() { return scale == 1 ? "sign-flip" : "sign-flip(x" + scale + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) {
        float[] h = ctx.ownOf(i);
        float[] v = new float[h.length];
        for (int k = 0; k < h.length; k++) v[k] = (float) (-scale * h[k]);
        out.add(v);
      }
      return out;
    }
  }

  /**
   * Each attacker sends factor × its own pseudo-gradient: with a large factor (+100) one input
   * outweighs all others in a mean; a negative factor (−10) also reverses the direction.
   */
  record Scaling(double factor) implements Attack {
    @Override public String name() { return "scaling(x" + (factor == (long) factor ? String.valueOf((long) factor) : String.valueOf(factor)) + ")"; }
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

  /**
   * Mimic along the top direction (Karimireddy, He, Jaggi, ICLR 2022, §4): all attackers copy the
   * honest worker that lies furthest along the top singular direction of the centred honest
   * inputs, the direction in which the honest workers disagree most, so the rule over-weights one
   * extreme of the heterogeneity without any outlier to detect. The direction comes from 30 steps
   * of power iteration from a seeded start.
   */
  record MimicTop() implements Attack {
    @Override public String name() { return "mimic(top-direction)"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      List<float[]> h = ctx.honest();
      double[] mu = ctx.honestMean();
      double[] dir = Linear.topDirection(h, mu, 30, ctx.seed());
      int best = 0;
      double bestValue = -1;
      for (int i = 0; i < h.size(); i++) {
        double p = Math.abs(Linear.dotCentred(h.get(i), mu, dir));
        if (p > bestValue) {
          bestValue = p;
          best = i;
        }
      }
      return copies(h.get(best), ctx.f());
    }
  }

  /**
   * An attack adaptive to centred clipping — and, with the rule's own centre and radius, to any
   * clipping rule — in the spirit of ROP (Ozfatura et al., 2022): every attacker sends c + r·u
   * where c is the centre the rule will clip around (the previous aggregate for centred clipping
   * around it, else the coordinate-wise median of the honest inputs), u the unit vector opposite
   * the honest mean (the direction that hurts descent most), and r = {@code fraction} × the
   * radius the attacker predicts: the rule's absolute τ, or its multiple of the median distance to
   * c. Inputs just inside τ are never clipped, so each pulls the iterate a full τ·1/n per
   * iteration toward −μ.
   */
  record ClipAdaptive(double fraction) implements Attack {
    @Override public String name() { return "clip-adaptive(" + fraction + "τ)"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      int d = ctx.d();
      float[] c;
      boolean aroundPrevious = ctx.rule() instanceof dev.weft.aggregation.CenteredClip cc && cc.aroundPrevious();
      if (aroundPrevious && ctx.previousAggregate() != null) {
        c = ctx.previousAggregate();
      } else {
        c = Linear.coordinateMedian(ctx.honest());
      }
      double[] dist = new double[ctx.honest().size()];
      for (int i = 0; i < dist.length; i++) dist[i] = Linear.distance(ctx.honest().get(i), c);
      double tau;
      if (ctx.rule() instanceof dev.weft.aggregation.CenteredClip cc && cc.radius().absolute() > 0) {
        tau = cc.radius().absolute();
      } else {
        double k = ctx.rule() instanceof dev.weft.aggregation.CenteredClip cc ? cc.radius().medianMultiple() : 1.0;
        // The rule takes the lower median over all n inputs; the attackers' own distances are r,
        // below most honest ones, so the predicted median is the honest order statistic at that rank.
        double[] s = dist.clone();
        java.util.Arrays.sort(s);
        int rank = Math.max(0, (ctx.n() - 1) / 2 - ctx.f());
        tau = k * s[Math.min(rank, s.length - 1)];
      }
      double[] mu = ctx.honestMean();
      double norm = 0;
      for (double m : mu) norm += m * m;
      norm = Math.sqrt(norm);
      float[] v = new float[d];
      double r = fraction * tau;
      for (int k = 0; k < d; k++) v[k] = (float) (c[k] - (norm == 0 ? 0 : r * mu[k] / norm));
      return copies(v, ctx.f());
    }
  }

  /**
   * In the int8 domain: a valid blockwise-int8 encoding whose bytes are −127·sign(μ) and whose
   * every block scale is {@code magnitude}/127 — finite, canonical and accepted by the decoder, but
   * decoding to a vector of size {@code magnitude} per coordinate pointing against the honest
   * mean. Against a run without int8 it sends the same values dense.
   */
  record Int8Scale(double magnitude) implements Attack {
    @Override public String name() { return "int8-scale(" + magnitude + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      double[] mu = ctx.honestMean();
      float[] v = new float[mu.length];
      for (int k = 0; k < v.length; k++) v[k] = (float) (-Math.signum(mu[k]) * magnitude);
      return copies(v, ctx.f());
    }
    @Override public List<Contribution> contributions(AttackContext ctx, Codec codec, List<String> keys) {
      if (!(codec instanceof dev.weft.aggregation.codec.Int8BlockCodec int8)) return Attack.super.contributions(ctx, codec, keys);
      double[] mu = ctx.honestMean();
      float[] unit = new float[mu.length];
      for (int k = 0; k < unit.length; k++) unit[k] = (float) -Math.signum(mu[k]);
      byte[] b = int8.encode(unit); // scale 1/127 where a block has a nonzero sign, bytes ±127
      int blocks = (mu.length + int8.block() - 1) / int8.block();
      float scale = (float) (magnitude / 127);
      for (int i = 0; i < blocks; i++) {
        int at = Codec.HEADER_BYTES + 4 + 4 * i;
        int bits = Float.floatToRawIntBits(scale);
        for (int j = 0; j < 4; j++) b[at + j] = (byte) (bits >>> (8 * j));
      }
      List<Contribution> out = new ArrayList<>();
      for (int i = 0; i < ctx.f(); i++) out.add(new Contribution.Encoded(keys.get(i), b.clone(), 1.0));
      return out;
    }
  }

  /**
   * In the top-k domain: all attackers choose the same k indices — the coordinates where the honest
   * mean is largest — and send −{@code factor}·max|honest| there, zero elsewhere. Honest top-k
   * vectors are mostly zero outside their own choices, so on those coordinates the attackers are a
   * large share of the nonzero values, which is what coordinate-wise rules (median, trimmed mean)
   * read. Encoded with the run's top-k codec; dense otherwise.
   */
  record TopKIndices(double fraction, double factor) implements Attack {
    @Override public String name() { return "topk-indices(x" + factor + ")"; }
    @Override public List<float[]> craft(AttackContext ctx) {
      double[] mu = ctx.honestMean();
      int d = mu.length;
      int k = (int) Math.max(1, Math.min(d, Math.ceil(fraction * d - 1e-9)));
      Integer[] order = new Integer[d];
      for (int i = 0; i < d; i++) order[i] = i;
      java.util.Arrays.sort(order, (a, b) -> Math.abs(mu[a]) != Math.abs(mu[b]) ? Double.compare(Math.abs(mu[b]), Math.abs(mu[a])) : a - b);
      double max = 0;
      for (float[] h : ctx.honest()) for (float x : h) max = Math.max(max, Math.abs(x));
      float[] v = new float[d];
      for (int i = 0; i < k; i++) v[order[i]] = (float) (-Math.signum(mu[order[i]]) * factor * Math.max(max, 1e-12));
      return copies(v, ctx.f());
    }
  }
}
