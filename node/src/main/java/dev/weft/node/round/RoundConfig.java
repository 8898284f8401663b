package dev.weft.node.round;

import dev.weft.node.round.CutoffEstimator.CutoffConfig;
import dev.weft.node.round.msg.RoundLimits;
import java.util.Objects;

/**
 * Named, validated settings of the round protocol.
 *
 * @param run the run id every message is bound to
 * @param limits message limits
 * @param minInputs fewest sealed contributions for a non-null round: max(rule minimum, 2·f_agg+1)
 * @param baseViewTimeoutMillis view 0's timeout after the cut-off; view v waits base·2^v
 * @param maxViewTimeoutMillis cap on a view's timeout, so a long outage does not leave peers
 *     waiting hours once it heals
 * @param cutoff the adaptive cut-off
 * @param retentionRounds certificates kept to answer sync requests (catch-up beyond needs a checkpoint)
 * @param maxBufferedFuture messages of the next round buffered per round before it starts
 * @param fullTokens tokens of a full round of inner steps (from the manifest): an early arrival
 *     that trained fewer steps is scaled up to when its full work would have arrived, or cut-offs
 *     feeding training budgets would shrink round after round
 * @param banMalformedBlobs ban, from the next round on, every contributor whose sealed blob does
 *     not decode (true in every real run; false only to show in the simulator what the rule stops)
 */
public record RoundConfig(
    String run,
    RoundLimits limits,
    int minInputs,
    long baseViewTimeoutMillis,
    long maxViewTimeoutMillis,
    CutoffConfig cutoff,
    int retentionRounds,
    int maxBufferedFuture,
    long fullTokens,
    boolean banMalformedBlobs) {
  /** The settings with the malformed-blob ban on, as every real run has it. */
  public RoundConfig(String run, RoundLimits limits, int minInputs, long baseViewTimeoutMillis, long maxViewTimeoutMillis, CutoffConfig cutoff,
      int retentionRounds, int maxBufferedFuture, long fullTokens) {
    this(run, limits, minInputs, baseViewTimeoutMillis, maxViewTimeoutMillis, cutoff, retentionRounds, maxBufferedFuture, fullTokens, true);
  }

  public RoundConfig {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(cutoff, "cutoff");
    if (minInputs < 1) throw new IllegalArgumentException("minInputs must be positive");
    if (baseViewTimeoutMillis < 1 || maxViewTimeoutMillis < baseViewTimeoutMillis) {
      throw new IllegalArgumentException("need 1 <= baseViewTimeoutMillis <= maxViewTimeoutMillis");
    }
    if (retentionRounds < 1 || retentionRounds > 100_000) throw new IllegalArgumentException("retentionRounds must be in [1, 100000]");
    if (fullTokens < 1) throw new IllegalArgumentException("fullTokens must be positive");
    if (maxBufferedFuture < 0 || maxBufferedFuture > 1_000_000) throw new IllegalArgumentException("maxBufferedFuture must be in [0, 10^6]");
  }

  /** The timeout of {@code view}: doubling, capped. */
  public long viewTimeoutMillis(int view) {
    if (view >= 40) return maxViewTimeoutMillis;
    return Math.min(maxViewTimeoutMillis, baseViewTimeoutMillis << view);
  }
}
