package dev.weft.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule against a small case worked out by hand. */
class AggregatorHandComputedTest {
  private static float only(AggregationResult r) {
    assertThat(r.succeeded()).isTrue();
    return r.aggregate()[0];
  }

  @Test
  void meanIsWeighted() {
    var r =
        new Mean()
            .aggregate(
                List.of(
                    new AggregationInput("a", new float[] {1, 2}, 1),
                    new AggregationInput("b", new float[] {3, 4}, 1),
                    new AggregationInput("c", new float[] {5, 9}, 2)));
    // (1+3+10)/4 = 3.5, (2+4+18)/4 = 6
    assertThat(r.aggregate()).containsExactly(3.5f, 6f);
    assertThat(r.keysWith(Verdict.ACCEPTED)).containsExactly("a", "b", "c");
  }

  @Test
  void unweightedMeanScreensLazilyButStillRejectsNaN() {
    // Unit weights take the four-rows-per-sweep path, which checks a chunk only when its sum is
    // not finite: the NaN must still be found, and the rest averaged.
    var in = new java.util.ArrayList<AggregationInput>();
    for (int i = 0; i < 9; i++) {
      float[] v = new float[3 * ChunkRunner.CHUNK];
      java.util.Arrays.fill(v, i);
      if (i == 6) v[ChunkRunner.CHUNK + 5] = Float.NaN;
      in.add(AggregationInput.of("p" + i, v));
    }
    var r = new Mean().aggregate(in);
    assertThat(r.keysWith(Verdict.REJECTED)).containsExactly("p6");
    // (0+1+2+3+4+5+7+8)/8 = 3.75 everywhere
    for (float v : r.aggregate()) assertThat(v).isEqualTo(3.75f);
  }

  @Test
  void medianOddAndEven() {
    assertThat(only(new CoordinateMedian().aggregate(TestVectors.scalars(5, -1, 100, 2, 3))))
        .isEqualTo(3f);
    assertThat(only(new CoordinateMedian().aggregate(TestVectors.scalars(5, -1, 100, 2))))
        .isEqualTo(3.5f);
  }

  @Test
  void medianIsPerCoordinate() {
    var r =
        new CoordinateMedian()
            .aggregate(
                List.of(
                    AggregationInput.of("a", new float[] {1, 30}),
                    AggregationInput.of("b", new float[] {2, 10}),
                    AggregationInput.of("c", new float[] {3, 20})));
    assertThat(r.aggregate()).containsExactly(2f, 20f);
  }

  @Test
  void trimmedMeanDropsBetaFromEachSide() {
    // beta 0.2 of 5 drops one from each side: mean of 1, 2, 3
    var r = new TrimmedMean(0.2).aggregate(TestVectors.scalars(1, 1000, 2, 3, -50));
    assertThat(only(r)).isEqualTo(2f);
    assertThat(r.report("b").verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(r.report("e").verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(r.report("a").verdict()).isEqualTo(Verdict.ACCEPTED);
    // beta 0 is the mean
    assertThat(only(new TrimmedMean(0).aggregate(TestVectors.scalars(1, 2, 6)))).isEqualTo(3f);
  }

  @Test
  void krumPicksTheBestScoredAndBreaksTiesByKey() {
    // f = 1, n = 5: each scores the sum of its 2 nearest squared distances.
    // 0 -> 1+4 = 5, 1 -> 1+1 = 2, 2 -> 1+1 = 2, 3 -> 1+4 = 5, 100 -> 97²+98².
    var r = Krum.krum(1).aggregate(TestVectors.scalars(0, 1, 2, 3, 100));
    assertThat(only(r)).isEqualTo(1f); // "b" wins the tie with "c" by key order
    assertThat(r.keysWith(Verdict.ACCEPTED)).containsExactly("b");
    assertThat(r.report("e").reason()).contains("ranks 5 of 5");
  }

  @Test
  void multiKrumAveragesTheNMinusFBest() {
    var r = Krum.multiKrum(1).aggregate(TestVectors.scalars(0, 1, 2, 3, 100));
    assertThat(only(r)).isEqualTo(1.5f);
    assertThat(r.keysWith(Verdict.REJECTED)).containsExactly("e");
  }

  @Test
  void geometricMedianOfScalarsIsTheMedian() {
    var r = new GeometricMedian(200, 1e-9, 0).aggregate(TestVectors.scalars(0, 1, 2, 3, 100));
    assertThat(only(r)).isCloseTo(2f, within(0.01f));
    assertThat(r.report("e").influence()).isLessThan(0.05);
  }

  @Test
  void geometricMedianOfAnEquilateralTriangleIsItsCentre() {
    double h = Math.sqrt(3) / 2;
    var r =
        new GeometricMedian(100, 1e-9, 0)
            .aggregate(
                List.of(
                    AggregationInput.of("a", new float[] {0, 0}),
                    AggregationInput.of("b", new float[] {1, 0}),
                    AggregationInput.of("c", new float[] {0.5f, (float) h})));
    assertThat(r.aggregate()[0]).isCloseTo(0.5f, within(1e-4f));
    assertThat(r.aggregate()[1]).isCloseTo((float) (h / 3), within(1e-4f));
  }

  @Test
  void centeredClipTwoIterations() {
    // Start: median 0. tau 1. Iteration 1: c = (1,1,1,1,0.1): v = 0.1*10/5 = 0.2.
    // Iteration 2: distances 0.2 (x4) and 9.8: v = 0.2 + (4*(-0.2) + (1/9.8)*9.8)/5 = 0.24.
    var rule = new CenteredClip(ClipRadius.absolute(1), 2, new CoordinateMedian());
    var r = rule.aggregate(TestVectors.scalars(0, 0, 0, 0, 10));
    assertThat(only(r)).isCloseTo(0.24f, within(1e-6f));
    assertThat(r.report("e").verdict()).isEqualTo(Verdict.DOWNWEIGHTED);
    assertThat(r.report("e").influence()).isCloseTo(1 / 9.8, within(1e-6));
    assertThat(r.report("a").verdict()).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  void normClippingShrinksLongInputsToTheMedianNorm() {
    var r =
        new NormClipping()
            .aggregate(
                List.of(
                    AggregationInput.of("a", new float[] {3, 4}),
                    AggregationInput.of("b", new float[] {0, 1}),
                    AggregationInput.of("c", new float[] {0, 2})));
    // tau = lower median of norms (5, 1, 2) = 2: a becomes (1.2, 1.6)
    assertThat(r.aggregate()[0]).isCloseTo(0.4f, within(1e-6f));
    assertThat(r.aggregate()[1]).isCloseTo(4.6f / 3, within(1e-6f));
    assertThat(r.report("a").influence()).isCloseTo(0.4, within(1e-12));
  }

  @Test
  void bucketingOfOneIsTheInnerRuleAndBucketingOfAllIsTheMean() {
    var in = TestVectors.gaussian(9, 100, 3);
    assertThat(new Bucketing(1, new CoordinateMedian(), 5).aggregate(in).aggregate())
        .isEqualTo(new CoordinateMedian().aggregate(in).aggregate());
    float[] all = new Bucketing(9, new CoordinateMedian(), 5).aggregate(in).aggregate();
    float[] mean = new Mean().aggregate(in).aggregate();
    for (int k = 0; k < all.length; k++) assertThat(all[k]).isCloseTo(mean[k], within(1e-6f));
  }

  @Test
  void bucketPermutationIsAPermutationFixedBySeed() {
    int[] p = Bucketing.permutation(16, 99);
    assertThat(p).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(Bucketing.permutation(16, 99)).isEqualTo(p);
    assertThat(Bucketing.permutation(16, 100)).isNotEqualTo(p);
  }
}
