package dev.weft.aggregation;

import java.util.Objects;

/**
 * One contribution to an aggregation: a pseudo-gradient from the peer named by {@code key}.
 *
 * <p>The array is not copied: aggregators only read it, never write it, and the caller must not
 * change it while an aggregation runs. Values may be NaN or infinite (a hostile peer can send
 * anything); aggregators reject such inputs with a reason instead of propagating them.
 *
 * @param key orders the inputs (e.g. the peer id in its canonical text form); every peer that
 *     aggregates the same set must use the same keys, because the order fixes the floating-point
 *     reduction order and so the bit pattern of the result. Keys must be distinct.
 * @param values the vector, length d
 * @param weight a positive finite weight (e.g. tokens processed); 1 when unweighted
 */
public record AggregationInput(String key, float[] values, double weight) {
  public AggregationInput {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(values, "values");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be positive and finite: " + weight);
    }
  }

  /** An input of weight 1. */
  public static AggregationInput of(String key, float[] values) {
    return new AggregationInput(key, values, 1.0);
  }
}
