package dev.weft.aggregation.round;

/**
 * What the outer loop carries from round to round besides θ, identical on every honest peer: the
 * outer optimizer's momentum buffer, the number of outer steps applied, and the previous round's
 * aggregate (null before the first successful round), which rules such as centred clipping around
 * the previous aggregate start from. Immutable: a round step returns a new state.
 */
public record OuterState(float[] momentum, long rounds, float[] previousAggregate) {
  public OuterState {
    java.util.Objects.requireNonNull(momentum, "momentum");
    if (rounds < 0) throw new IllegalArgumentException("negative round count");
    for (int i = 0; i < momentum.length; i++) {
      if (!Float.isFinite(momentum[i])) throw new IllegalArgumentException("non-finite momentum at " + i);
    }
    if (previousAggregate != null && previousAggregate.length != momentum.length) {
      throw new IllegalArgumentException("previous aggregate has length " + previousAggregate.length + ", expected " + momentum.length);
    }
  }

  /** Restored from a checkpoint that stores momentum and rounds only. */
  public OuterState(float[] momentum, long rounds) {
    this(momentum, rounds, null);
  }

  /** Zero momentum, no rounds yet. */
  public static OuterState fresh(int dimension) {
    return new OuterState(new float[dimension], 0, null);
  }

  public int dimension() {
    return momentum.length;
  }
}
