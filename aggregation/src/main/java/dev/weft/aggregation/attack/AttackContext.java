package dev.weft.aggregation.attack;

import dev.weft.aggregation.Aggregator;
import java.util.List;
import java.util.Objects;

/**
 * What an attacker sees in one round — the strongest, omniscient threat model of the literature:
 * every honest vector, the attackers' own honest pseudo-gradients (what each would have sent had it
 * been honest: attacks "on their own data" start from these), how many Byzantine vectors to
 * produce, the previous round's aggregate (null in the first round), a seed for any randomness, and
 * the rule the round uses with its parameters (null when unknown).
 */
public record AttackContext(List<float[]> honest, List<float[]> own, int f, float[] previousAggregate, long seed, Aggregator rule) {
  public AttackContext {
    honest = List.copyOf(honest);
    own = List.copyOf(own);
    if (honest.isEmpty()) throw new IllegalArgumentException("attacks need some honest vectors");
    if (f < 0) throw new IllegalArgumentException("f must be >= 0");
    int d = honest.get(0).length;
    for (float[] h : honest) {
      if (Objects.requireNonNull(h).length != d) throw new IllegalArgumentException("lengths differ");
    }
    for (float[] h : own) {
      if (Objects.requireNonNull(h).length != d) throw new IllegalArgumentException("lengths differ");
    }
    if (previousAggregate != null && previousAggregate.length != d) throw new IllegalArgumentException("lengths differ");
  }

  /** Attackers without data of their own and no knowledge of the rule. */
  public AttackContext(List<float[]> honest, int f, float[] previousAggregate, long seed) {
    this(honest, List.of(), f, previousAggregate, seed, null);
  }

  public int d() {
    return honest.get(0).length;
  }

  /** n = honest + Byzantine. */
  public int n() {
    return honest.size() + f;
  }

  /** Attacker i's own honest pseudo-gradient; without own data, an observed honest one. */
  public float[] ownOf(int i) {
    return own.isEmpty() ? honest.get(i % honest.size()) : own.get(i % own.size());
  }

  /** Coordinate-wise mean of the honest vectors, in double. */
  public double[] honestMean() {
    double[] m = new double[d()];
    for (float[] h : honest) for (int k = 0; k < m.length; k++) m[k] += h[k];
    for (int k = 0; k < m.length; k++) m[k] /= honest.size();
    return m;
  }

  /** Coordinate-wise (population) standard deviation of the honest vectors. */
  public double[] honestStd() {
    double[] m = honestMean();
    double[] s = new double[d()];
    for (float[] h : honest) {
      for (int k = 0; k < s.length; k++) s[k] += (h[k] - m[k]) * (h[k] - m[k]);
    }
    for (int k = 0; k < s.length; k++) s[k] = Math.sqrt(s[k] / honest.size());
    return s;
  }
}
