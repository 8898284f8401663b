package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Nearest-neighbour mixing and centred clipping around the previous aggregate, by definition. */
class NewRulesTest {
  static List<AggregationInput> honestPlusFar(int honest, int far, int d) {
    SplittableRandom r = new SplittableRandom(2);
    List<AggregationInput> in = new ArrayList<>();
    for (int i = 0; i < honest; i++) {
      float[] v = new float[d];
      for (int k = 0; k < d; k++) v[k] = (float) r.nextGaussian();
      in.add(AggregationInput.of("h" + (char) ('a' + i), v));
    }
    for (int i = 0; i < far; i++) {
      float[] v = new float[d];
      Arrays.fill(v, 1000f + i);
      in.add(AggregationInput.of("z" + i, v));
    }
    return in;
  }

  @Test
  void mixingWithFarAttackersGivesEveryHonestInputTheHonestMean() {
    var in = honestPlusFar(12, 4, 500);
    float[] honestMean = new Mean().aggregate(in.subList(0, 12)).aggregate();
    // each honest input's 12 nearest are the 12 honest ones: 12 identical mixed rows of 16, so the
    // coordinate-wise median of the mixed rows is the honest mean, bit for bit
    AggregationResult r = new NearestNeighbourMixing(4, new CoordinateMedian()).aggregate(in);
    assertThat(r.aggregate()).containsExactly(honestMean);
    // without mixing the median is a different (coarser) estimate
    assertThat(new CoordinateMedian().aggregate(in).aggregate()).isNotEqualTo(honestMean);
    assertThat(new NearestNeighbourMixing(4, new Mean()).minInputs()).isEqualTo(9);
  }

  @Test
  void centredClippingAroundThePreviousAggregateStartsThere() {
    var in = honestPlusFar(12, 0, 300);
    CenteredClip prev = CenteredClip.aroundPreviousAggregate(ClipRadius.absolute(1e-3), 1);
    float[] previous = new float[300];
    Arrays.fill(previous, 5f);
    // a tiny radius and one iteration: the result stays within τ of where it started
    float[] out = Aggregators.forRound(prev, 1, previous).aggregate(in).aggregate();
    double dist = 0;
    for (int k = 0; k < out.length; k++) dist += (out[k] - 5.0) * (out[k] - 5.0);
    assertThat(Math.sqrt(dist)).isLessThanOrEqualTo(1e-3 * 1.0001);
    // with no previous aggregate (first round) it starts from the coordinate-wise median instead
    float[] first = Aggregators.forRound(prev, 1, null).aggregate(in).aggregate();
    float[] median = new CoordinateMedian().aggregate(in).aggregate();
    dist = 0;
    for (int k = 0; k < first.length; k++) dist += (first[k] - median[k]) * (double) (first[k] - median[k]);
    assertThat(Math.sqrt(dist)).isLessThanOrEqualTo(1e-3 * 1.0001);
    assertThat(prev.aroundPrevious()).isTrue();
  }
}
