package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heartbeat procedure of one router (gossipsub v1.0 "Heartbeat", v1.1 "Heartbeat
 * Maintenance", "Outbound Mesh Quotas", "Opportunistic Grafting", "Adaptive Gossip
 * Dissemination"): mesh maintenance, fanout maintenance, gossip emission, then housekeeping
 * (cache shift, penalties for broken IWANT promises, score decay, expired backoffs).
 * Works on the router's state, on the router's thread.
 */
final class Heartbeat {
  private final GossipsubRouter r;
  private long ticks;
  private long lastDecay;

  Heartbeat(GossipsubRouter router) {
    this.r = router;
    this.lastDecay = router.scheduler.nowMillis();
  }

  long ticks() {
    return ticks;
  }

  void run() {
    ticks++;
    long now = r.scheduler.nowMillis();
    resetPerHeartbeatCounters();
    penaliseBrokenPromises(now);
    decayScores(now);
    for (Map.Entry<String, Set<PeerId>> e : r.mesh.entrySet()) maintainMesh(e.getKey(), e.getValue());
    maintainFanout(now);
    r.mcache.shift();
    r.seen.expire();
    expireBackoffs(now);
  }

  private void resetPerHeartbeatCounters() {
    long oldest = ticks - r.config.idontwantTtlHeartbeats();
    for (PeerState st : r.peers.values()) {
      st.ihaveThisHeartbeat = 0;
      st.askedThisHeartbeat = 0;
      st.idontwantThisHeartbeat = 0;
      if (!st.dontSend.isEmpty()) st.dontSend.values().removeIf(t -> t < oldest);
    }
  }

  private void penaliseBrokenPromises(long now) {
    for (Map.Entry<PeerId, Integer> e : r.promises.collectBroken(now).entrySet()) r.score.addPenalty(e.getKey(), e.getValue());
  }

  private void decayScores(long now) {
    long interval = r.score.params().decayIntervalMillis();
    // Catch up on missed intervals, but never loop for long after a pause.
    for (int i = 0; i < 100 && now - lastDecay >= interval; i++) {
      r.score.refresh();
      lastDecay += interval;
    }
    if (now - lastDecay >= interval) lastDecay = now;
  }

  private void maintainMesh(String topic, Set<PeerId> mesh) {
    GossipsubConfig c = r.config;
    // Negative scores leave the mesh, without PX.
    for (Iterator<PeerId> it = mesh.iterator(); it.hasNext(); ) {
      PeerId p = it.next();
      if (r.score.score(p) < 0) {
        it.remove();
        r.score.prune(p, topic);
        r.sendPrune(topic, p, c.pruneBackoffMillis(), false);
      }
    }
    if (mesh.size() < c.dLo()) {
      graftAll(topic, mesh, r.selectPeers(topic, c.d() - mesh.size(), p -> !mesh.contains(p) && r.meshCandidate(topic, p)));
    }
    if (mesh.size() > c.dHi()) pruneOversubscribed(topic, mesh);
    if (mesh.size() >= c.dLo()) {
      int outbound = countOutbound(mesh);
      if (outbound < c.dOut()) {
        graftAll(topic, mesh, r.selectPeers(topic, c.dOut() - outbound,
            p -> !mesh.contains(p) && isOutbound(p) && r.meshCandidate(topic, p)));
      }
    }
    if (ticks % c.opportunisticGraftTicks() == 0 && mesh.size() > 1) opportunisticGraft(topic, mesh);
    emitGossip(topic, mesh);
  }

  private void graftAll(String topic, Set<PeerId> mesh, List<PeerId> peers) {
    for (PeerId p : peers) {
      mesh.add(p);
      r.graftPeer(topic, p);
    }
  }

  /**
   * Keeps D peers: the D_score best by score, the rest at random, then swaps in outbound peers
   * until D_out of the kept ones are outbound; the others are pruned with peer exchange.
   */
  private void pruneOversubscribed(String topic, Set<PeerId> mesh) {
    GossipsubConfig c = r.config;
    List<PeerId> all = new ArrayList<>(mesh);
    Collections.shuffle(all, r.random);
    all.sort(Comparator.comparingDouble((PeerId p) -> r.score.score(p)).reversed());
    List<PeerId> rest = new ArrayList<>(all.subList(Math.min(c.dScore(), all.size()), all.size()));
    Collections.shuffle(rest, r.random);
    List<PeerId> keep = new ArrayList<>(all.subList(0, Math.min(c.dScore(), all.size())));
    for (PeerId p : rest) if (keep.size() < c.d()) keep.add(p);
    int outbound = 0;
    for (PeerId p : keep) if (isOutbound(p)) outbound++;
    if (outbound < c.dOut()) {
      List<PeerId> outsideOutbound = new ArrayList<>();
      for (PeerId p : all) if (!keep.contains(p) && isOutbound(p)) outsideOutbound.add(p);
      for (int i = keep.size() - 1; i >= 0 && outbound < c.dOut() && !outsideOutbound.isEmpty(); i--) {
        if (!isOutbound(keep.get(i))) {
          keep.set(i, outsideOutbound.remove(0));
          outbound++;
        }
      }
    }
    Set<PeerId> keepSet = new LinkedHashSet<>(keep);
    for (PeerId p : all) {
      if (!keepSet.contains(p)) {
        mesh.remove(p);
        r.score.prune(p, topic);
        r.sendPrune(topic, p, c.pruneBackoffMillis(), true);
      }
    }
  }

  /** If the mesh's median score is below the threshold, graft a few peers that score above it. */
  private void opportunisticGraft(String topic, Set<PeerId> mesh) {
    List<Double> scores = new ArrayList<>();
    for (PeerId p : mesh) scores.add(r.score.score(p));
    Collections.sort(scores);
    double median = scores.get(scores.size() / 2);
    if (median >= r.thresholds.opportunisticGraft()) return;
    graftAll(topic, mesh, r.selectPeers(topic, r.config.opportunisticGraftPeers(),
        p -> !mesh.contains(p) && r.meshCandidate(topic, p) && r.score.score(p) > median));
  }

  private void maintainFanout(long now) {
    GossipsubConfig c = r.config;
    for (Iterator<Map.Entry<String, Set<PeerId>>> it = r.fanout.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Set<PeerId>> e = it.next();
      String topic = e.getKey();
      Long last = r.fanoutLastPublished.get(topic);
      if (last == null || last + c.fanoutTtlMillis() < now) {
        it.remove();
        r.fanoutLastPublished.remove(topic);
        continue;
      }
      Set<PeerId> fan = e.getValue();
      Set<PeerId> inTopic = r.topicPeers.getOrDefault(topic, Set.of());
      fan.removeIf(p -> !inTopic.contains(p) || r.score.score(p) < r.thresholds.publish());
      if (fan.size() < c.d()) {
        fan.addAll(r.selectPeers(topic, c.d() - fan.size(), p -> !fan.contains(p) && r.isGossipsub(p)
            && !r.directPeers.contains(p) && r.score.score(p) >= r.thresholds.publish()));
      }
      emitGossip(topic, fan);
    }
  }

  /** IHAVE of the recent messages of {@code topic} to max(D_lazy, factor × eligible) peers outside {@code exclude}. */
  private void emitGossip(String topic, Set<PeerId> exclude) {
    List<MessageId> ids = r.mcache.gossipIds(topic);
    if (ids.isEmpty()) return;
    List<PeerId> eligible = new ArrayList<>();
    for (PeerId p : r.topicPeers.getOrDefault(topic, Set.of())) {
      if (!exclude.contains(p) && r.isGossipsub(p) && !r.directPeers.contains(p) && r.score.score(p) >= r.thresholds.gossip()) eligible.add(p);
    }
    int target = Math.max(r.config.dLazy(), (int) (r.config.gossipFactor() * eligible.size()));
    Collections.shuffle(eligible, r.random);
    List<PeerId> to = eligible.size() <= target ? eligible : eligible.subList(0, target);
    for (PeerId p : to) {
      List<MessageId> send = ids;
      if (ids.size() > r.config.maxIHaveLength()) {
        send = new ArrayList<>(ids);
        Collections.shuffle(send, r.random);
        send = send.subList(0, r.config.maxIHaveLength());
      }
      r.outbox.ihave(p, topic, send);
    }
  }

  private void expireBackoffs(long now) {
    // Entries live two heartbeats past expiry, the slack meshCandidate allows for.
    long slack = 2 * r.config.heartbeatIntervalMillis();
    for (Iterator<Map<PeerId, Long>> it = r.backoff.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> b = it.next();
      b.values().removeIf(until -> until + slack <= now);
      if (b.isEmpty()) it.remove();
    }
  }

  private int countOutbound(Set<PeerId> peers) {
    int n = 0;
    for (PeerId p : peers) if (isOutbound(p)) n++;
    return n;
  }

  private boolean isOutbound(PeerId p) {
    PeerState st = r.peers.get(p);
    return st != null && st.outbound;
  }
}
