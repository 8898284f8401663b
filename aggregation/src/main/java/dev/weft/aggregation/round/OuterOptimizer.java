package dev.weft.aggregation.round;

import dev.weft.aggregation.ChunkRunner;

/**
 * The outer step of DiLoCo: from θ, the round's aggregated pseudo-gradient Δ and the state, the
 * next θ and momentum. Element-wise, so the result does not depend on the runner's thread count.
 */
public sealed interface OuterOptimizer permits Nesterov {
  String name();

  /**
   * Writes θ' into {@code thetaOut} and the new momentum into {@code momentumOut} (fresh arrays of
   * length d). Returns false, leaving the outputs meaningless, when θ' would not be finite.
   */
  boolean step(float[] theta, float[] aggregate, float[] momentum, float[] thetaOut, float[] momentumOut, ChunkRunner runner);
}
