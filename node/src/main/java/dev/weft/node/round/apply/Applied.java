package dev.weft.node.round.apply;

import dev.weft.aggregation.AggregationResult;
import java.util.List;

/**
 * The result of applying one certified value.
 *
 * @param state the next state
 * @param aggregation the aggregator's report (null for a null round)
 * @param nullReason why θ did not change (null when it did)
 * @param malformed contributors whose blobs did not decode, in key order
 */
public record Applied(ModelState state, AggregationResult aggregation, String nullReason, List<String> malformed) {
  public boolean isNull() {
    return nullReason != null;
  }
}
