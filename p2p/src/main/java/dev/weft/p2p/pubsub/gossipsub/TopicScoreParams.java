package dev.weft.p2p.pubsub.gossipsub;

/**
 * Per-topic score parameters (gossipsub v1.1, "Topic Parameter Calculation and Decay"). Decay
 * factors apply once per {@link PeerScoreParams#decayIntervalMillis()}. Durations in milliseconds.
 *
 * @param topicWeight weight of this topic's contribution
 * @param timeInMeshWeight w₁ (small, positive)
 * @param timeInMeshQuantumMillis time in mesh worth one P₁ point
 * @param timeInMeshCap cap on P₁
 * @param firstMessageDeliveriesWeight w₂ (positive)
 * @param firstMessageDeliveriesDecay decay of the P₂ counter
 * @param firstMessageDeliveriesCap cap on the P₂ counter
 * @param meshMessageDeliveriesWeight w₃ (negative, or 0 to disable P₃)
 * @param meshMessageDeliveriesDecay decay of the P₃ counter
 * @param meshMessageDeliveriesThreshold deliveries expected from a mesh peer (depends on the topic's rate)
 * @param meshMessageDeliveriesCap cap on the P₃ counter (&gt;= threshold)
 * @param meshMessageDeliveriesActivationMillis time in mesh before P₃ applies
 * @param meshMessageDeliveryWindowMillis how late a duplicate may come and still count as near-first
 * @param meshFailurePenaltyWeight w₃b (negative, or 0)
 * @param meshFailurePenaltyDecay decay of P₃b
 * @param invalidMessageDeliveriesWeight w₄ (negative)
 * @param invalidMessageDeliveriesDecay decay of the P₄ counter
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight, long timeInMeshQuantumMillis, double timeInMeshCap,
    double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay, double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay, double meshMessageDeliveriesThreshold,
    double meshMessageDeliveriesCap, long meshMessageDeliveriesActivationMillis, long meshMessageDeliveryWindowMillis,
    double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

  public TopicScoreParams {
    if (!(topicWeight >= 0)) throw new IllegalArgumentException("topicWeight must be >= 0");
    if (!(timeInMeshWeight >= 0)) throw new IllegalArgumentException("timeInMeshWeight must be >= 0");
    if (timeInMeshWeight > 0 && timeInMeshQuantumMillis <= 0) throw new IllegalArgumentException("timeInMeshQuantum must be positive");
    if (!(timeInMeshCap >= 0)) throw new IllegalArgumentException("timeInMeshCap must be >= 0");
    if (!(firstMessageDeliveriesWeight >= 0)) throw new IllegalArgumentException("firstMessageDeliveriesWeight must be >= 0");
    decay("firstMessageDeliveriesDecay", firstMessageDeliveriesDecay);
    if (!(firstMessageDeliveriesCap >= 0)) throw new IllegalArgumentException("firstMessageDeliveriesCap must be >= 0");
    if (!(meshMessageDeliveriesWeight <= 0)) throw new IllegalArgumentException("meshMessageDeliveriesWeight must be <= 0");
    decay("meshMessageDeliveriesDecay", meshMessageDeliveriesDecay);
    if (!(meshMessageDeliveriesThreshold >= 0)) throw new IllegalArgumentException("meshMessageDeliveriesThreshold must be >= 0");
    if (!(meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold)) throw new IllegalArgumentException("meshMessageDeliveriesCap must be >= threshold");
    if (meshMessageDeliveriesActivationMillis < 0 || meshMessageDeliveryWindowMillis < 0) throw new IllegalArgumentException("negative duration");
    if (!(meshFailurePenaltyWeight <= 0)) throw new IllegalArgumentException("meshFailurePenaltyWeight must be <= 0");
    decay("meshFailurePenaltyDecay", meshFailurePenaltyDecay);
    if (!(invalidMessageDeliveriesWeight <= 0)) throw new IllegalArgumentException("invalidMessageDeliveriesWeight must be <= 0");
    decay("invalidMessageDeliveriesDecay", invalidMessageDeliveriesDecay);
  }

  private static void decay(String name, double v) {
    if (!(v > 0 && v < 1)) throw new IllegalArgumentException(name + " must be in (0,1): " + v);
  }

  /**
   * Defaults for a low-rate topic (weft's state and round topics carry a few messages a second at
   * most): time in mesh is worth up to 1 point after 10 minutes, each first delivery 1 point
   * (capped at 100, decaying ~1%/s); mesh delivery rate penalties are off (w₃ = w₃b = 0) because
   * their threshold depends on the topic's rate: enable them with {@link #withMeshDeliveries}; each
   * invalid message costs -10 × count².
   */
  public static TopicScoreParams defaults() {
    return new TopicScoreParams(1.0,
        0.0016667, 1_000, 600,
        1.0, 0.99, 100,
        0, 0.97, 1, 10, 30_000, 10,
        0, 0.95,
        -10, 0.99);
  }

  /** These parameters with P₃/P₃b enabled. */
  public TopicScoreParams withMeshDeliveries(double weight, double threshold, double cap, long activationMillis, double failureWeight) {
    return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantumMillis, timeInMeshCap,
        firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
        weight, meshMessageDeliveriesDecay, threshold, cap, activationMillis, meshMessageDeliveryWindowMillis,
        failureWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight, invalidMessageDeliveriesDecay);
  }
}
