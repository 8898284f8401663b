package dev.weft.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A rule that combines n vectors into one. Every rule is a pure function of the inputs and its
 * parameters:
 *
 * <ul>
 *   <li>inputs are sorted by {@link AggregationInput#key()} first, reductions run in that order and
 *       in double precision, and global sums are combined chunk by chunk in chunk order (see {@link
 *       ChunkRunner}), so the output is bit-identical for any thread count and on any JVM;
 *   <li>inputs are never written;
 *   <li>an input containing NaN or an infinity is rejected with a reason and the rule runs on the
 *       rest; if too few remain the result says so ({@link AggregationResult#failure()}) rather than
 *       throwing;
 *   <li>misuse (no inputs, vectors of different lengths, duplicate keys, fewer inputs than {@link
 *       #minInputs()}) throws {@link IllegalArgumentException} before any work.
 * </ul>
 *
 * <p>Subclasses live in this package only; each documents its guarantee and its cost.
 */
public abstract class Aggregator {
  Aggregator() {}

  /** A short name with parameters, e.g. {@code trimmed-mean(beta=0.25)}. */
  public abstract String name();

  /** The fewest inputs for which the rule's guarantee holds. */
  public abstract int minInputs();

  @Override
  public String toString() {
    return name();
  }

  /** Aggregates on the calling thread. */
  public final AggregationResult aggregate(List<AggregationInput> inputs) {
    try (ChunkRunner serial = ChunkRunner.serial()) {
      return aggregate(inputs, serial);
    }
  }

  /** Aggregates using {@code runner}'s threads; the result does not depend on their number. */
  public final AggregationResult aggregate(List<AggregationInput> inputs, ChunkRunner runner) {
    Objects.requireNonNull(runner, "runner");
    List<AggregationInput> sorted = sortedAndChecked(inputs);
    int n = sorted.size();
    if (n < minInputs()) {
      throw new IllegalArgumentException(
          name() + " needs at least " + minInputs() + " inputs, got " + n);
    }
    int d = sorted.get(0).values().length;
    float[][] vectors = new float[n][];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      vectors[i] = sorted.get(i).values();
      weights[i] = sorted.get(i).weight();
    }
    ArrayRows rows = new ArrayRows(vectors, d);
    Computed c = compute(rows, weights, runner);
    if (c != null) return AggregationResult.ok(c.out(), reports(sorted, c));

    // Some input was not finite: drop those and run again on the rest.
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) if (!rows.nonFinite(i)) kept.add(i);
    InputReport[] reports = new InputReport[n];
    for (int i = 0; i < n; i++) {
      if (rows.nonFinite(i)) {
        reports[i] =
            new InputReport(sorted.get(i).key(), Verdict.REJECTED, 0, "contains NaN or infinity");
      }
    }
    if (kept.size() < minInputs()) {
      String why =
          name() + " needs at least " + minInputs() + " finite inputs, got " + kept.size();
      for (int i = 0; i < n; i++) {
        if (reports[i] == null) {
          reports[i] = new InputReport(sorted.get(i).key(), Verdict.REJECTED, 0, "no aggregate: " + why);
        }
      }
      return AggregationResult.failed(why, Arrays.asList(reports));
    }
    float[][] keptVectors = new float[kept.size()][];
    double[] keptWeights = new double[kept.size()];
    for (int j = 0; j < kept.size(); j++) {
      keptVectors[j] = vectors[kept.get(j)];
      keptWeights[j] = weights[kept.get(j)];
    }
    ArrayRows clean = new ArrayRows(keptVectors, d);
    Computed again = compute(clean, keptWeights, runner);
    if (again == null) throw new IllegalStateException("screening found non-finite rows twice");
    for (int j = 0; j < kept.size(); j++) {
      int i = kept.get(j);
      reports[i] =
          InputReport.fromInfluence(sorted.get(i).key(), again.influence()[j], again.reason(j));
    }
    return AggregationResult.ok(again.out(), Arrays.asList(reports));
  }

  /**
   * This rule as configured for one round: seeded wrappers take the round's seed, rules centred on
   * the previous aggregate take it (null in the first round). Stateless rules return themselves.
   */
  Aggregator forRound(long seed, float[] previousAggregate) {
    return this;
  }

  /**
   * Runs the rule on {@code rows}. The first complete pass over the rows must be followed by
   * {@link #screened(Rows)}; when that reports a non-finite row, return null at once.
   */
  abstract Computed compute(Rows rows, double[] weights, ChunkRunner runner);

  /** Ends screening after a first pass; false means a row was not finite and compute must stop. */
  static boolean screened(Rows rows) {
    Rows base = rows;
    while (base instanceof BucketRows b) base = b.base();
    return ((ArrayRows) base).finishScreening();
  }

  /** The output of {@link #compute}: the aggregate and each row's influence in [0, 1]. */
  record Computed(float[] out, double[] influence, String[] reasons) {
    String reason(int row) {
      return reasons == null || reasons[row] == null ? "" : reasons[row];
    }
  }

  private static List<InputReport> reports(List<AggregationInput> sorted, Computed c) {
    List<InputReport> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      out.add(InputReport.fromInfluence(sorted.get(i).key(), c.influence()[i], c.reason(i)));
    }
    return out;
  }

  private static List<AggregationInput> sortedAndChecked(List<AggregationInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) throw new IllegalArgumentException("no inputs");
    List<AggregationInput> sorted = new ArrayList<>(inputs);
    for (AggregationInput in : sorted) Objects.requireNonNull(in, "input");
    sorted.sort(Comparator.comparing(AggregationInput::key));
    int d = sorted.get(0).values().length;
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).values().length != d) {
        throw new IllegalArgumentException(
            "input " + sorted.get(i).key() + " has length " + sorted.get(i).values().length
                + ", expected " + d);
      }
      if (i > 0 && sorted.get(i).key().equals(sorted.get(i - 1).key())) {
        throw new IllegalArgumentException("duplicate key " + sorted.get(i).key());
      }
    }
    return sorted;
  }

  static void requireFraction(String what, double v, double lo, double hiExclusive) {
    if (!(v >= lo && v < hiExclusive)) {
      throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hiExclusive + "): " + v);
    }
  }
}
