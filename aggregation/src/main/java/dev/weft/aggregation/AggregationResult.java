package dev.weft.aggregation;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one aggregation: the aggregate (absent when the rule could not run, e.g. too few
 * finite inputs remained), one report per input in key order, and a failure reason when absent.
 */
public record AggregationResult(float[] aggregate, List<InputReport> reports, String failure) {
  public AggregationResult {
    reports = List.copyOf(reports);
    if ((aggregate == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of aggregate and failure must be set");
    }
  }

  static AggregationResult ok(float[] aggregate, List<InputReport> reports) {
    return new AggregationResult(aggregate, reports, null);
  }

  static AggregationResult failed(String failure, List<InputReport> reports) {
    return new AggregationResult(null, reports, failure);
  }

  public boolean succeeded() {
    return aggregate != null;
  }

  /** The aggregate, if the rule could run. */
  public Optional<float[]> vector() {
    return Optional.ofNullable(aggregate);
  }

  /** The report for {@code key}. */
  public InputReport report(String key) {
    for (InputReport r : reports) if (r.key().equals(key)) return r;
    throw new IllegalArgumentException("no input with key " + key);
  }

  /** Keys of inputs with the given verdict, in key order. */
  public List<String> keysWith(Verdict verdict) {
    return reports.stream().filter(r -> r.verdict() == verdict).map(InputReport::key).toList();
  }
}
