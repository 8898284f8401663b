package dev.weft.aggregation.attack;

import java.util.List;
import java.util.Objects;

/**
 * What an attacker sees in one round: every honest vector (the strongest, omniscient threat model
 * used in the literature), how many Byzantine vectors to produce, the round's previous aggregate
 * (for stale free-riding; null in the first round) and a seed for any randomness.
 */
public record AttackContext(List<float[]> honest, int f, float[] previousAggregate, long seed) {
  public AttackContext {
    honest = List.copyOf(honest);
    if (honest.isEmpty()) throw new IllegalArgumentException("attacks need some honest vectors");
    if (f < 0) throw new IllegalArgumentException("f must be >= 0");
    int d = honest.get(0).length;
    for (float[] h : honest) {
      if (Objects.requireNonNull(h).length != d) throw new IllegalArgumentException("lengths differ");
    }
  }

  public int d() {
    return honest.get(0).length;
  }

  /** n = honest + Byzantine. */
  public int n() {
    return honest.size() + f;
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
