package dev.weft.aggregation.round;

import dev.weft.aggregation.AggregationInput;
import dev.weft.aggregation.AggregationResult;
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.InputReport;
import dev.weft.aggregation.Verdict;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.MalformedUpdateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One DiLoCo outer round, the same on every honest peer and in every local run: screen the
 * contributions (size, codec, dimension, finite values, norm, weight, duplicate keys), decode them,
 * aggregate the survivors with the run's rule (seeded and centred for this round), and apply the
 * outer optimizer. A pure function of (θ, state, contributions, round seed): no I/O, no clock, no
 * randomness beyond the seed, and bit-identical for any {@link ChunkRunner} thread count.
 *
 * <p>Bad input never aborts a round: each rejected contribution gets a report with its reason; if
 * too few remain for the rule, or the outer step would leave θ non-finite, the round fails and the
 * outcome carries the unchanged θ and state with the reason.
 *
 * <p>Thread-safe (immutable); the runner is used by one call at a time.
 */
public final class RoundStep {
  private final int dimension;
  private final Aggregator rule;
  private final Codec codec;
  private final OuterOptimizer outer;
  private final RoundLimits limits;

  /**
   * @param codec the run's codec, or null for dense float32 contributions
   * @param limits what one contribution may be; see {@link #limitsFor}
   */
  public RoundStep(int dimension, Aggregator rule, Codec codec, OuterOptimizer outer, RoundLimits limits) {
    if (dimension < 1 || dimension > Codec.MAX_DIMENSION) throw new IllegalArgumentException("dimension out of range: " + dimension);
    this.dimension = dimension;
    this.rule = Objects.requireNonNull(rule, "rule");
    this.codec = codec;
    this.outer = Objects.requireNonNull(outer, "outer");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Limits that accept what the codec can produce for d (dense float32 without one); no norm limit. */
  public static RoundLimits limitsFor(Codec codecOrNull, int dimension) {
    if (codecOrNull == null) return RoundLimits.dense(dimension);
    return new RoundLimits(codecOrNull.maxEncodedBytes(dimension), Double.POSITIVE_INFINITY);
  }

  /** The plain mean, dense float32, the given outer optimizer: the reference configuration. */
  public static RoundStep meanWithoutCodec(int dimension, OuterOptimizer outer) {
    return new RoundStep(dimension, Aggregators.parse("mean"), null, outer, RoundLimits.dense(dimension));
  }

  /** The result of a round. {@code aggregate} is empty when the round failed. */
  public record Outcome(float[] theta, OuterState state, Optional<float[]> aggregate, List<InputReport> reports, Optional<String> failure) {
    public Outcome {
      reports = List.copyOf(reports);
    }

    public boolean succeeded() {
      return failure.isEmpty();
    }

    public InputReport report(String key) {
      for (InputReport r : reports) if (r.key().equals(key)) return r;
      throw new IllegalArgumentException("no contribution with key " + key);
    }

    public List<String> keysWith(Verdict v) {
      return reports.stream().filter(r -> r.verdict() == v).map(InputReport::key).toList();
    }
  }

  public Outcome apply(float[] theta, OuterState state, List<Contribution> contributions, long roundSeed, ChunkRunner runner) {
    Objects.requireNonNull(runner, "runner");
    if (theta.length != dimension || state.dimension() != dimension) {
      throw new IllegalArgumentException("θ or state does not have the run's dimension " + dimension);
    }
    List<Contribution> sorted = new ArrayList<>(contributions);
    sorted.sort(Comparator.comparing(Contribution::key));
    Map<String, InputReport> rejected = new HashMap<>();
    List<AggregationInput> inputs = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Contribution c = sorted.get(i);
      boolean dup = (i > 0 && sorted.get(i - 1).key().equals(c.key())) || (i + 1 < sorted.size() && sorted.get(i + 1).key().equals(c.key()));
      if (dup) {
        rejected.put(c.key(), reject(c.key(), "more than one contribution under this key"));
        continue;
      }
      String why = screen(c, inputs);
      if (why != null) rejected.put(c.key(), reject(c.key(), why));
    }
    List<String> keys = sorted.stream().map(Contribution::key).distinct().toList();
    if (inputs.size() < Math.max(1, rule.minInputs())) {
      String why = rule.name() + " needs at least " + Math.max(1, rule.minInputs()) + " valid contributions, got " + inputs.size();
      return failed(theta, state, keys, rejected, null, why);
    }
    Aggregator r = Aggregators.forRound(rule, roundSeed, state.previousAggregate());
    AggregationResult agg = r.aggregate(inputs, runner);
    if (!agg.succeeded()) return failed(theta, state, keys, rejected, agg, agg.failure());
    float[] g = agg.aggregate();
    float[] next = new float[dimension];
    float[] m = new float[dimension];
    if (!outer.step(theta, g, state.momentum(), next, m, runner)) {
      return failed(theta, state, keys, rejected, agg, "outer step would make θ non-finite");
    }
    return new Outcome(next, new OuterState(m, state.rounds() + 1, g), Optional.of(g), reports(keys, rejected, agg), Optional.empty());
  }

  /** Decodes and checks one contribution; adds it to {@code out} or returns why not. */
  private String screen(Contribution c, List<AggregationInput> out) {
    if (!(c.weight() > 0) || Double.isInfinite(c.weight())) return "weight must be positive and finite, got " + c.weight();
    float[] v;
    switch (c) {
      case Contribution.Dense dense -> {
        if (dense.values().length != dimension) return "has " + dense.values().length + " values, expected " + dimension;
        v = dense.values();
        // NaN first: a diverged worker's output says so, whatever the run's codec.
        String nonFinite = firstNonFinite(v);
        if (nonFinite != null) return nonFinite;
        if (codec != null) return "dense contribution but the run's codec is " + codec.name();
      }
      case Contribution.Encoded enc -> {
        byte[] b = enc.bytes();
        if (b.length > limits.maxEncodedBytes()) return "oversized: " + b.length + " bytes, limit " + limits.maxEncodedBytes();
        if (codec != null && (b.length == 0 || b[0] != codec.id())) return "not in the run's codec " + codec.name();
        try {
          v = codec != null ? codec.decode(b, dimension) : Codecs.decode(b, dimension);
        } catch (MalformedUpdateException e) {
          return "malformed: " + e.getMessage();
        }
      }
    }
    double sq = 0;
    for (int k = 0; k < v.length; k++) {
      float x = v[k];
      if (!Float.isFinite(x)) return "contains NaN or infinity at " + k;
      sq += (double) x * x;
    }
    if (Math.sqrt(sq) > limits.maxNorm()) return String.format(java.util.Locale.ROOT, "oversized: norm %.4g above the limit %.4g", Math.sqrt(sq), limits.maxNorm());
    out.add(new AggregationInput(c.key(), v, c.weight()));
    return null;
  }

  private static String firstNonFinite(float[] v) {
    for (int k = 0; k < v.length; k++) if (!Float.isFinite(v[k])) return "contains NaN or infinity at " + k;
    return null;
  }

  private static InputReport reject(String key, String why) {
    return new InputReport(key, Verdict.REJECTED, 0, why);
  }

  private static List<InputReport> reports(List<String> keys, Map<String, InputReport> rejected, AggregationResult agg) {
    List<InputReport> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      InputReport r = rejected.get(k);
      out.add(r != null ? r : agg.report(k));
    }
    return out;
  }

  private Outcome failed(float[] theta, OuterState state, List<String> keys, Map<String, InputReport> rejected, AggregationResult agg, String why) {
    List<InputReport> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      InputReport r = rejected.get(k);
      if (r == null && agg != null) r = agg.report(k);
      if (r == null) r = reject(k, "round failed: " + why);
      out.add(r);
    }
    return new Outcome(theta.clone(), state, Optional.empty(), out, Optional.of(why));
  }

  public int dimension() {
    return dimension;
  }

  public Aggregator rule() {
    return rule;
  }

  /** The run's codec; empty for dense float32. */
  public Optional<Codec> codec() {
    return Optional.ofNullable(codec);
  }

  public OuterOptimizer outer() {
    return outer;
  }

  public RoundLimits limits() {
    return limits;
  }

  @Override
  public String toString() {
    return "round-step(" + rule.name() + ", " + (codec == null ? "float32" : codec.name()) + ", " + outer.name() + ")";
  }

}
