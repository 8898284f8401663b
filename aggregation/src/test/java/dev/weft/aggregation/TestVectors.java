package dev.weft.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded inputs and the set of rules every contract test runs against. */
final class TestVectors {
  private TestVectors() {}

  static List<AggregationInput> gaussian(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<AggregationInput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int k = 0; k < d; k++) v[k] = (float) (1 + r.nextGaussian());
      out.add(new AggregationInput(String.format("peer-%02d", i), v, 1 + r.nextInt(3)));
    }
    return out;
  }

  static List<AggregationInput> scalars(double... values) {
    List<AggregationInput> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(AggregationInput.of(String.valueOf((char) ('a' + i)), new float[] {(float) values[i]}));
    }
    return out;
  }

  /** Every rule, parameterised for n = 16 with up to f = 4 Byzantine inputs. */
  /** One N(0,1) vector (a "previous aggregate" for rules centred on it). */
  static float[] gaussianVector(int d, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] v = new float[d];
    for (int k = 0; k < d; k++) v[k] = (float) r.nextGaussian();
    return v;
  }

  static List<Aggregator> allRules() {
    return List.of(
        new Mean(),
        new CoordinateMedian(),
        new TrimmedMean(0.25),
        Krum.krum(4),
        Krum.multiKrum(4),
        new GeometricMedian(),
        new CenteredClip(),
        new NormClipping(),
        new Bucketing(2, new CenteredClip(), 42),
        new Bucketing(2, new TrimmedMean(0.25), 7),
        new NearestNeighbourMixing(4, new CenteredClip()),
        new NearestNeighbourMixing(3, new CoordinateMedian()),
        CenteredClip.aroundPreviousAggregate(ClipRadius.medianMultiple(1.0), 3)
            .forRound(5, gaussianVector(5 * ChunkRunner.CHUNK + 123, 99)));
  }
}
