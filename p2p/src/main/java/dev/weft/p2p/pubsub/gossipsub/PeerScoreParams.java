package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Peer-wide score parameters (gossipsub v1.1, "Overview of New Parameters"). Topics absent from
 * {@code topics} do not contribute to the score. Durations in milliseconds.
 *
 * @param topics per-topic parameters, keyed by topic id
 * @param topicScoreCap cap on the positive sum of topic contributions (0 = none)
 * @param appSpecificScore P₅, asked at every score computation (called on the router thread)
 * @param appSpecificWeight w₅ (&gt;= 0)
 * @param ipColocationFactorWeight w₆ (&lt;= 0)
 * @param ipColocationFactorThreshold peers per IP before P₆ applies (&gt;= 1)
 * @param ipColocationWhitelist IPs exempt from P₆ (e.g. a test's 127.0.0.1)
 * @param behaviourPenaltyWeight w₇ (&lt;= 0)
 * @param behaviourPenaltyThreshold P₇ counts only the part of the counter above this
 * @param behaviourPenaltyDecay decay of the P₇ counter
 * @param decayIntervalMillis how often counters decay
 * @param decayToZero counters below this become 0
 * @param retainScoreMillis how long the score of a disconnected peer is kept (so it cannot reset it)
 * @param defaultTopic parameters for topics absent from {@code topics}, or null (the spec's
 *     behaviour: such topics do not count); handy when topics are only known at run time
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    double topicScoreCap,
    ToDoubleFunction<PeerId> appSpecificScore,
    double appSpecificWeight,
    double ipColocationFactorWeight, int ipColocationFactorThreshold, Set<String> ipColocationWhitelist,
    double behaviourPenaltyWeight, double behaviourPenaltyThreshold, double behaviourPenaltyDecay,
    long decayIntervalMillis, double decayToZero, long retainScoreMillis,
    TopicScoreParams defaultTopic) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    ipColocationWhitelist = Set.copyOf(ipColocationWhitelist);
    if (appSpecificScore == null) throw new IllegalArgumentException("appSpecificScore is required (p -> 0 for none)");
    if (!(topicScoreCap >= 0)) throw new IllegalArgumentException("topicScoreCap must be >= 0");
    if (!(appSpecificWeight >= 0)) throw new IllegalArgumentException("appSpecificWeight must be >= 0");
    if (!(ipColocationFactorWeight <= 0)) throw new IllegalArgumentException("ipColocationFactorWeight must be <= 0");
    if (ipColocationFactorThreshold < 1) throw new IllegalArgumentException("ipColocationFactorThreshold must be >= 1");
    if (!(behaviourPenaltyWeight <= 0)) throw new IllegalArgumentException("behaviourPenaltyWeight must be <= 0");
    if (!(behaviourPenaltyThreshold >= 0)) throw new IllegalArgumentException("behaviourPenaltyThreshold must be >= 0");
    if (!(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)) throw new IllegalArgumentException("behaviourPenaltyDecay must be in (0,1)");
    if (decayIntervalMillis < 1) throw new IllegalArgumentException("decayInterval must be >= 1 ms");
    if (!(decayToZero > 0 && decayToZero < 1)) throw new IllegalArgumentException("decayToZero must be in (0,1)");
    if (retainScoreMillis < 0) throw new IllegalArgumentException("retainScore must be >= 0");
  }

  /**
   * Defaults: topics with {@link TopicScoreParams#defaults()} must be added by the application;
   * positive topic score capped at 10; P₅ off; more than 10 peers on one IP cost -5 × surplus²;
   * each behaviour penalty (broken IWANT promise, GRAFT in backoff, malformed RPC) -10 ×
   * counter², decaying ~10%/s; decay every second, scores of disconnected peers kept 5 minutes.
   */
  public static PeerScoreParams defaults(Map<String, TopicScoreParams> topics) {
    return new PeerScoreParams(topics, 10, p -> 0, 1, -5, 10, Set.of(), -10, 0, 0.9, 1_000, 0.01, 300_000, null);
  }

  /** The parameters of {@code topic}: its own, else {@link #defaultTopic()}, else null (not scored). */
  public TopicScoreParams topic(String topic) {
    TopicScoreParams t = topics.get(topic);
    return t != null ? t : defaultTopic;
  }

  /** These parameters, scoring every topic without its own parameters with {@code params}. */
  public PeerScoreParams withDefaultTopic(TopicScoreParams params) {
    return new PeerScoreParams(topics, topicScoreCap, appSpecificScore, appSpecificWeight, ipColocationFactorWeight,
        ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight, behaviourPenaltyThreshold, behaviourPenaltyDecay,
        decayIntervalMillis, decayToZero, retainScoreMillis, params);
  }

  /** These parameters with P₆ not applied to {@code ips} (e.g. loopback in tests and local networks). */
  public PeerScoreParams withIpColocationWhitelist(Set<String> ips) {
    return new PeerScoreParams(topics, topicScoreCap, appSpecificScore, appSpecificWeight, ipColocationFactorWeight,
        ipColocationFactorThreshold, ips, behaviourPenaltyWeight, behaviourPenaltyThreshold, behaviourPenaltyDecay,
        decayIntervalMillis, decayToZero, retainScoreMillis, defaultTopic);
  }
}
