package dev.weft.aggregation.round;

import java.util.Objects;

/**
 * One peer's pseudo-gradient for a round, as the round step receives it: either still encoded
 * (the bytes that came off the wire, in the run's codec) or dense float32 (a run without a codec,
 * or a local simulation). Nothing about the content is trusted: {@link RoundStep} checks size,
 * codec, length, finiteness, norm and weight and rejects with a reason instead of throwing.
 *
 * <p>Arrays are not copied; nobody may change them while a round step runs.
 */
public sealed interface Contribution {
  /** Orders the inputs (e.g. the peer id's text form); fixes the reduction order, so the bits. */
  String key();

  /** The weight the aggregation gives it (e.g. tokens trained); checked, not trusted. */
  double weight();

  /** Dense float32 values. */
  record Dense(String key, float[] values, double weight) implements Contribution {
    public Dense {
      requireKey(key);
      Objects.requireNonNull(values, "values");
    }
  }

  /** Encoded bytes in some codec (checked against the run's). */
  record Encoded(String key, byte[] bytes, double weight) implements Contribution {
    public Encoded {
      requireKey(key);
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  static Contribution dense(String key, float[] values) {
    return new Dense(key, values, 1.0);
  }

  private static void requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) throw new IllegalArgumentException("empty key");
  }
}
