package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * f huge inputs against 12 honest ones: where the theory bounds the output (order statistics with
 * f within their trimming, Krum, clipping), it stays inside the honest range; the mean does not.
 */
class BreakdownTest {
  private static final int HONEST = 12;
  private static final int F = 4;
  private static final int D = 2000;

  private static List<AggregationInput> attacked(long seed, float byzantineValue) {
    SplittableRandom r = new SplittableRandom(seed);
    List<AggregationInput> in = new ArrayList<>();
    for (int i = 0; i < HONEST; i++) {
      float[] v = new float[D];
      for (int k = 0; k < D; k++) v[k] = (float) r.nextGaussian();
      in.add(AggregationInput.of("h" + (char) ('a' + i), v));
    }
    for (int i = 0; i < F; i++) {
      float[] v = new float[D];
      java.util.Arrays.fill(v, byzantineValue * (i % 2 == 0 ? 1 : 0.9f));
      in.add(AggregationInput.of("z" + i, v));
    }
    return in;
  }

  private static void assertWithinHonestRange(List<AggregationInput> in, float[] out, float slack) {
    for (int k = 0; k < D; k++) {
      float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
      for (AggregationInput a : in) {
        if (!a.key().startsWith("h")) continue;
        lo = Math.min(lo, a.values()[k]);
        hi = Math.max(hi, a.values()[k]);
      }
      assertThat(out[k]).isBetween(lo - slack, hi + slack);
    }
  }

  @Test
  void orderStatisticsStayInTheHonestRange() {
    var in = attacked(1, 1e30f);
    assertWithinHonestRange(in, new CoordinateMedian().aggregate(in).aggregate(), 0);
    AggregationResult t = new TrimmedMean(0.25).aggregate(in);
    assertWithinHonestRange(in, t.aggregate(), 0);
    for (int i = 0; i < F; i++) assertThat(t.report("z" + i).verdict()).isEqualTo(Verdict.REJECTED);
  }

  @Test
  void krumSelectsOnlyHonestInputs() {
    var in = attacked(2, 1e6f);
    AggregationResult k = Krum.multiKrum(F).aggregate(in);
    assertThat(k.keysWith(Verdict.ACCEPTED)).allMatch(key -> key.startsWith("h")).hasSize(12);
    assertWithinHonestRange(in, k.aggregate(), 0);
  }

  @Test
  void clippingRulesStayNearTheHonestMean() {
    var in = attacked(3, 1e20f);
    float[] honestMean = new Mean().aggregate(in.subList(0, HONEST)).aggregate();
    // The honest inputs are N(0,1)^D: each lies about sqrt(D) from the mean. Clipping bounds the
    // attackers' pull to a fraction of that, far below their 1e20.
    double honestRadius = Math.sqrt(D);
    for (Aggregator rule :
        List.of(new CenteredClip(), new GeometricMedian(), new Bucketing(2, new CenteredClip(), 9))) {
      float[] out = rule.aggregate(in).aggregate();
      assertThat(distance(out, honestMean)).as(rule.name()).isLessThan(honestRadius);
    }
    float[] nc = new NormClipping().aggregate(in).aggregate();
    assertThat(distance(nc, honestMean)).isLessThan(honestRadius);
  }

  @Test
  void theMeanBreaks() {
    var in = attacked(4, 1e20f);
    float[] out = new Mean().aggregate(in).aggregate();
    assertThat(out[0]).isGreaterThan(1e18f);
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) s += ((double) a[k] - b[k]) * ((double) a[k] - b[k]);
    return Math.sqrt(s);
  }
}
