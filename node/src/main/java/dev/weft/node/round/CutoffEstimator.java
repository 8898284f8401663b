package dev.weft.node.round;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The contribution cut-off of a round as a duration after the round's anchor (the local monotonic
 * time at which this peer applied the previous certificate): median + k·MAD of the arrival offsets
 * seen in the last {@code windowRounds} rounds, clamped to [min, max]. Durations on a local
 * monotonic clock need no clock synchronisation — a peer whose wall clock is 10 minutes off gets
 * the same cut-off. MAD rather than standard deviation so one Pareto straggler does not stretch the
 * round for everyone. Pure and deterministic; not thread-safe.
 */
public final class CutoffEstimator {
  private final CutoffConfig config;
  private final Deque<long[]> rounds = new ArrayDeque<>();
  private long cached = -1;

  public CutoffEstimator(CutoffConfig config) {
    this.config = config;
  }

  /** Records one round's arrival offsets in milliseconds after its anchor. */
  public void record(long[] arrivalOffsetsMillis) {
    if (arrivalOffsetsMillis.length == 0) return;
    rounds.addLast(arrivalOffsetsMillis.clone());
    while (rounds.size() > config.windowRounds()) rounds.removeFirst();
    cached = -1;
  }

  /** The cut-off in milliseconds after the anchor. */
  public long cutoffMillis() {
    if (cached >= 0) return cached;
    int total = 0;
    for (long[] r : rounds) total += r.length;
    if (total < config.minSamples()) return cached = config.initialMillis();
    double[] all = new double[total];
    int i = 0;
    for (long[] r : rounds) for (long v : r) all[i++] = v;
    double med = median(all);
    double[] dev = new double[total];
    for (int j = 0; j < total; j++) dev[j] = Math.abs(all[j] - med);
    double mad = median(dev);
    // With near-identical machines the MAD is near zero; the slack keeps room for peers that start
    // a hop later (they learn of the certificate later) instead of cutting them off every round.
    double est = Math.max(med + config.k() * mad, med * (1 + config.minSlack()));
    return cached = Math.max(config.minMillis(), Math.min(config.maxMillis(), Math.round(est)));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * @param initialMillis cut-off until {@code minSamples} arrivals were seen
   * @param minMillis lower clamp: below a few link round trips nobody's blob could arrive
   * @param maxMillis upper clamp: bounds how long stragglers (or an attacker's slow uploads) hold a round
   * @param k MAD multiplier; 3 MADs cover ~99% of a normal distribution's spread
   * @param windowRounds rounds remembered
   * @param minSamples arrivals needed before estimating
   * @param minSlack the cut-off is at least the median times (1 + minSlack)
   */
  public record CutoffConfig(long initialMillis, long minMillis, long maxMillis, double k, int windowRounds, int minSamples, double minSlack) {
    public CutoffConfig {
      if (minMillis < 1 || maxMillis < minMillis) throw new IllegalArgumentException("need 1 <= minMillis <= maxMillis");
      if (initialMillis < minMillis || initialMillis > maxMillis) throw new IllegalArgumentException("initialMillis outside [min, max]");
      if (!(k >= 0 && k <= 100)) throw new IllegalArgumentException("k must be in [0, 100]");
      if (windowRounds < 1 || windowRounds > 1000) throw new IllegalArgumentException("windowRounds must be in [1, 1000]");
      if (minSamples < 1) throw new IllegalArgumentException("minSamples must be positive");
      if (!(minSlack >= 0 && minSlack <= 10)) throw new IllegalArgumentException("minSlack must be in [0, 10]");
    }

    public static CutoffConfig defaults() {
      return new CutoffConfig(60_000, 2_000, 600_000, 3, 8, 8, 0.15);
    }
  }
}
