package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Peer scoring of gossipsub v1.1 ("The Score Function"):
 *
 * <pre>
 * Score(p) = TopicCap(Σ tᵢ·(w₁P₁ + w₂P₂ + w₃P₃ + w₃bP₃b + w₄P₄)) + w₅P₅ + w₆P₆ + w₇P₇
 * </pre>
 *
 * The router reports events (graft, prune, first/duplicate/invalid deliveries, penalties); the
 * counters decay on {@link #refresh()}, which the heartbeat calls once per decay interval. Time
 * in mesh is computed from the injected clock when the score is asked for.
 *
 * <p>Confined to the router's scheduler thread; not thread-safe.
 */
public final class PeerScore {
  /** Upper bound on remembered first deliveries, so a flood of unique valid ids cannot grow memory without bound. */
  static final int MAX_DELIVERY_RECORDS = 200_000;
  /** How long a message's delivery record lives: long enough for late duplicates to be judged (go uses 2 min). */
  static final long DELIVERY_RECORD_TTL_MILLIS = 120_000;

  private final PeerScoreParams params;
  private final Clock clock;
  private final Map<PeerId, PeerStats> peers = new HashMap<>();
  private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
  private final Map<MessageId, DeliveryRecord> deliveries = new HashMap<>();
  private final ArrayDeque<MessageId> deliveryOrder = new ArrayDeque<>();

  public PeerScore(PeerScoreParams params, Clock clock) {
    this.params = params;
    this.clock = clock;
  }

  public PeerScoreParams params() {
    return params;
  }

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    double firstMessageDeliveries;
    double meshMessageDeliveries;
    double meshFailurePenalty;
    double invalidMessageDeliveries;
  }

  private static final class PeerStats {
    boolean connected;
    long expireAt;
    final Map<String, TopicStats> topics = new HashMap<>();
    final Set<String> ips = new HashSet<>();
    double behaviourPenalty;

    TopicStats topic(String t) {
      return topics.computeIfAbsent(t, k -> new TopicStats());
    }
  }

  private enum Status { VALIDATING, VALID, INVALID, IGNORED }

  private static final class DeliveryRecord {
    Status status = Status.VALIDATING;
    final long expireAt;
    long validatedAt;
    final Set<PeerId> peers = new LinkedHashSet<>();

    DeliveryRecord(long expireAt) {
      this.expireAt = expireAt;
    }
  }

  // ---------------------------------------------------------------- peers

  /** A peer connected from {@code ip} (null if unknown); a retained score is restored. */
  public void addPeer(PeerId peer, String ip) {
    PeerStats s = peers.computeIfAbsent(peer, k -> new PeerStats());
    s.connected = true;
    if (ip != null && s.ips.add(ip)) peersByIp.computeIfAbsent(ip, k -> new HashSet<>()).add(peer);
  }

  /**
   * A peer disconnected. A non-positive score is retained for {@code retainScore} so that a
   * misbehaving peer cannot reset it by reconnecting; mesh membership and first-delivery credit
   * are dropped, as go and js do.
   */
  public void removePeer(PeerId peer) {
    PeerStats s = peers.get(peer);
    if (s == null) return;
    for (String ip : s.ips) {
      Set<PeerId> set = peersByIp.get(ip);
      if (set != null && set.remove(peer) && set.isEmpty()) peersByIp.remove(ip);
    }
    s.ips.clear();
    if (score(peer) > 0) {
      peers.remove(peer);
      return;
    }
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      TopicStats t = e.getValue();
      t.firstMessageDeliveries = 0;
      TopicScoreParams tp = params.topic(e.getKey());
      if (t.inMesh && tp != null && deficitActive(t, tp)) {
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
        t.meshFailurePenalty += deficit * deficit;
      }
      t.inMesh = false;
    }
    s.connected = false;
    s.expireAt = clock.nowMillis() + params.retainScoreMillis();
  }

  /** Peers whose stats are tracked (connected or retained), for tests and metrics. */
  public int trackedPeers() {
    return peers.size();
  }

  // ---------------------------------------------------------------- mesh events

  public void graft(PeerId peer, String topic) {
    PeerStats s = peers.get(peer);
    if (s == null || params.topic(topic) == null) return;
    TopicStats t = s.topic(topic);
    t.inMesh = true;
    t.graftTime = clock.nowMillis();
  }

  /** The peer left our mesh: a delivery deficit at this moment becomes a sticky P₃b penalty. */
  public void prune(PeerId peer, String topic) {
    PeerStats s = peers.get(peer);
    TopicScoreParams tp = params.topic(topic);
    if (s == null || tp == null) return;
    TopicStats t = s.topics.get(topic);
    if (t == null) return;
    if (t.inMesh && deficitActive(t, tp)) {
      double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
      t.meshFailurePenalty += deficit * deficit;
    }
    t.inMesh = false;
  }

  /** Adds {@code count} to the peer's behaviour penalty counter (P₇). */
  public void addPenalty(PeerId peer, int count) {
    PeerStats s = peers.get(peer);
    if (s != null) s.behaviourPenalty += count;
  }

  // ---------------------------------------------------------------- message events

  /** A message was seen for the first time and passed the signature check; validation starts. */
  public void validateMessage(MessageId id) {
    if (deliveries.containsKey(id)) return;
    if (deliveries.size() >= MAX_DELIVERY_RECORDS) expireDeliveries(Long.MIN_VALUE, deliveries.size() - MAX_DELIVERY_RECORDS + 1);
    deliveries.put(id, new DeliveryRecord(clock.nowMillis() + DELIVERY_RECORD_TTL_MILLIS));
    deliveryOrder.add(id);
  }

  /** Validation accepted the message first delivered by {@code from}. */
  public void deliverMessage(PeerId from, MessageId id, String topic) {
    DeliveryRecord r = record(id);
    markFirstDelivery(from, topic);
    if (r.status != Status.VALIDATING) return;
    r.status = Status.VALID;
    r.validatedAt = clock.nowMillis();
    for (PeerId p : r.peers) {
      if (!p.equals(from)) markDuplicateDelivery(p, topic, 0);
    }
  }

  /** Validation rejected the message: its sender and everyone who forwarded it meanwhile get P₄. */
  public void rejectMessage(PeerId from, MessageId id, String topic) {
    DeliveryRecord r = record(id);
    if (r.status != Status.VALIDATING) return;
    r.status = Status.INVALID;
    markInvalidDelivery(from, topic);
    for (PeerId p : r.peers) {
      if (!p.equals(from)) markInvalidDelivery(p, topic);
    }
    r.peers.clear();
  }

  /** Validation ignored the message (or could not run): nobody is blamed. */
  public void ignoreMessage(MessageId id) {
    DeliveryRecord r = deliveries.get(id);
    if (r != null && r.status == Status.VALIDATING) {
      r.status = Status.IGNORED;
      r.peers.clear();
    }
  }

  /** A message that fails before it has a trustworthy id (bad signature, malformed): P₄ for the sender only. */
  public void invalidMessage(PeerId from, String topic) {
    markInvalidDelivery(from, topic);
  }

  /** {@code from} sent a message we had already seen. */
  public void duplicateMessage(PeerId from, MessageId id, String topic) {
    DeliveryRecord r = deliveries.get(id);
    if (r == null) return;
    switch (r.status) {
      case VALIDATING -> r.peers.add(from);
      case VALID -> {
        if (r.peers.add(from)) markDuplicateDelivery(from, topic, r.validatedAt);
      }
      case INVALID -> markInvalidDelivery(from, topic);
      case IGNORED -> { }
    }
  }

  private DeliveryRecord record(MessageId id) {
    DeliveryRecord r = deliveries.get(id);
    if (r == null) {
      validateMessage(id);
      r = deliveries.get(id);
    }
    return r;
  }

  private void markFirstDelivery(PeerId peer, String topic) {
    PeerStats s = peers.get(peer);
    TopicScoreParams tp = params.topic(topic);
    if (s == null || tp == null) return;
    TopicStats t = s.topic(topic);
    t.firstMessageDeliveries = Math.min(tp.firstMessageDeliveriesCap(), t.firstMessageDeliveries + 1);
    if (t.inMesh) t.meshMessageDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshMessageDeliveries + 1);
  }

  /** Counts a near-first delivery for P₃ when it came within the window after validation. */
  private void markDuplicateDelivery(PeerId peer, String topic, long validatedAt) {
    PeerStats s = peers.get(peer);
    TopicScoreParams tp = params.topic(topic);
    if (s == null || tp == null) return;
    TopicStats t = s.topics.get(topic);
    if (t == null || !t.inMesh) return;
    if (validatedAt != 0 && clock.nowMillis() > validatedAt + tp.meshMessageDeliveryWindowMillis()) return;
    t.meshMessageDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshMessageDeliveries + 1);
  }

  private void markInvalidDelivery(PeerId peer, String topic) {
    PeerStats s = peers.get(peer);
    if (s == null || params.topic(topic) == null) return;
    s.topic(topic).invalidMessageDeliveries += 1;
  }

  // ---------------------------------------------------------------- score

  /** The peer's current score; 0 for a peer we know nothing about. */
  public double score(PeerId peer) {
    PeerStats s = peers.get(peer);
    if (s == null) return 0;
    long now = clock.nowMillis();
    double score = 0;
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      TopicScoreParams tp = params.topic(e.getKey());
      if (tp == null) continue;
      TopicStats t = e.getValue();
      double ts = 0;
      if (t.inMesh && tp.timeInMeshQuantumMillis() > 0) {
        double p1 = Math.min(tp.timeInMeshCap(), (double) ((now - t.graftTime) / tp.timeInMeshQuantumMillis()));
        ts += p1 * tp.timeInMeshWeight();
      }
      ts += t.firstMessageDeliveries * tp.firstMessageDeliveriesWeight();
      if (t.inMesh && deficitActive(t, tp)) {
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
        ts += deficit * deficit * tp.meshMessageDeliveriesWeight();
      }
      ts += t.meshFailurePenalty * tp.meshFailurePenaltyWeight();
      ts += t.invalidMessageDeliveries * t.invalidMessageDeliveries * tp.invalidMessageDeliveriesWeight();
      score += ts * tp.topicWeight();
    }
    if (params.topicScoreCap() > 0 && score > params.topicScoreCap()) score = params.topicScoreCap();
    score += params.appSpecificScore().applyAsDouble(peer) * params.appSpecificWeight();
    for (String ip : s.ips) {
      if (params.ipColocationWhitelist().contains(ip)) continue;
      Set<PeerId> same = peersByIp.get(ip);
      int n = same == null ? 0 : same.size();
      if (n > params.ipColocationFactorThreshold()) {
        double surplus = n - params.ipColocationFactorThreshold();
        score += surplus * surplus * params.ipColocationFactorWeight();
      }
    }
    if (s.behaviourPenalty > params.behaviourPenaltyThreshold()) {
      double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
      score += excess * excess * params.behaviourPenaltyWeight();
    }
    return score;
  }

  private boolean deficitActive(TopicStats t, TopicScoreParams tp) {
    return tp.meshMessageDeliveriesWeight() != 0 || tp.meshFailurePenaltyWeight() != 0
        ? clock.nowMillis() - t.graftTime > tp.meshMessageDeliveriesActivationMillis()
            && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()
        : false;
  }

  // ---------------------------------------------------------------- decay

  /** Decays every counter once and forgets expired peers and delivery records. Call once per decay interval. */
  public void refresh() {
    long now = clock.nowMillis();
    double zero = params.decayToZero();
    Iterator<Map.Entry<PeerId, PeerStats>> it = peers.entrySet().iterator();
    while (it.hasNext()) {
      PeerStats s = it.next().getValue();
      if (!s.connected && s.expireAt <= now) {
        it.remove();
        continue;
      }
      for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
        TopicScoreParams tp = params.topic(e.getKey());
        if (tp == null) continue;
        TopicStats t = e.getValue();
        t.firstMessageDeliveries = decayed(t.firstMessageDeliveries, tp.firstMessageDeliveriesDecay(), zero);
        t.meshMessageDeliveries = decayed(t.meshMessageDeliveries, tp.meshMessageDeliveriesDecay(), zero);
        t.meshFailurePenalty = decayed(t.meshFailurePenalty, tp.meshFailurePenaltyDecay(), zero);
        t.invalidMessageDeliveries = decayed(t.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay(), zero);
      }
      s.behaviourPenalty = decayed(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
    }
    expireDeliveries(now, 0);
  }

  private static double decayed(double v, double factor, double zero) {
    double d = v * factor;
    return d < zero ? 0 : d;
  }

  /** Drops the oldest {@code forced} records, then every record expired at {@code now}. */
  private void expireDeliveries(long now, int forced) {
    int removed = 0;
    while (!deliveryOrder.isEmpty()) {
      MessageId id = deliveryOrder.peek();
      DeliveryRecord r = deliveries.get(id);
      if (removed >= forced && r != null && r.expireAt > now) break;
      deliveryOrder.poll();
      deliveries.remove(id);
      removed++;
    }
  }
}
