package dev.weft.node.train.diloco;

import java.util.List;

/**
 * Combines the round's pseudo-gradients into one. The seam where the aggregation module's robust
 * rules (median, trimmed mean, Krum, centered clipping…) plug in; {@link MeanAggregator} is the
 * plain mean used until then. Implementations must be deterministic (sort inputs by worker, fixed
 * reduction order) so every honest peer gets the same bits, and must not mutate their inputs.
 */
@FunctionalInterface
public interface PseudoGradientAggregator {
  /** @throws IllegalArgumentException if the contributions are empty or of different lengths */
  float[] aggregate(List<Contribution> contributions);
}
