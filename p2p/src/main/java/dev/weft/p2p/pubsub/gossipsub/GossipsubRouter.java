package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.pubsub.MalformedRpcException;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import dev.weft.p2p.pubsub.SignaturePolicy;
import dev.weft.p2p.pubsub.TopicValidator;
import dev.weft.p2p.pubsub.ValidationResult;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossipsub v1.1 router (with v1.0 and floodsub peers, and v1.2 IDONTWANT) as an I/O-free
 * state machine (specs/pubsub/gossipsub/gossipsub-v1.0.md, -v1.1.md, -v1.2.md).
 *
 * <p>It is told what happens — {@link #addPeer peer connected}, {@link #removePeer
 * disconnected}, {@link #handleRpc RPC received}, {@link #heartbeat() heartbeat} — and answers
 * with RPCs through {@link GossipsubOutbound}. It owns no sockets and no threads: time comes from
 * the injected {@link Scheduler}, randomness from the injected {@link Random}, so a simulation of
 * many routers on a {@code SimScheduler} is deterministic.
 *
 * <pre>
 *  received message ─► seen? ──yes──► duplicate (score P₃ near-first / P₄ if invalid)
 *                        │no
 *                        ▼
 *                 signature (StrictSign) ──bad──► P₄ to the sender, dropped
 *                        │ok
 *                        ▼
 *                 topic validator (async) ──REJECT──► P₄ to all who sent it
 *                        │ACCEPT          └─IGNORE──► dropped, nobody blamed
 *                        ▼
 *         deliver to listener, cache for IWANT, forward to mesh (+floodsub, direct peers)
 * </pre>
 *
 * <p>Threading: every method must be called on the scheduler's thread (validators may complete
 * elsewhere; results are moved back with {@link Scheduler#execute}).
 */
public final class GossipsubRouter {
  private static final Logger LOG = LoggerFactory.getLogger(GossipsubRouter.class);
  /** Seen ids kept at most, whatever the TTL: bounds memory under a flood of unique messages. */
  static final int MAX_SEEN_IDS = 1_000_000;
  /** Longest backoff we honour from a PRUNE (a hostile peer could ask for years). */
  static final long MAX_BACKOFF_MILLIS = 3_600_000;

  final GossipsubConfig config;
  final PeerScoreThresholds thresholds;
  final Scheduler scheduler;
  final Random random;
  final PeerId self;
  private final PrivKey key;
  private final MessageIdFunction idFunction;
  /** Per-topic overrides of {@link #idFunction} (e.g. content-addressed ids for replicated state). */
  private final Map<String, MessageIdFunction> topicIdFunctions = new HashMap<>();
  private final MessageSigner signer;
  private final MessageListener listener;
  final GossipsubOutbound outbound;
  final PeerScore score;
  final RouterCounters counters = new RouterCounters();
  final Outbox outbox;
  final MessageCache mcache;
  final SeenCache seen;
  final GossipPromises promises;
  private final Heartbeat heartbeat;

  final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  final Map<String, Set<PeerId>> topicPeers = new HashMap<>();
  final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
  final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
  final Map<String, Long> fanoutLastPublished = new HashMap<>();
  final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();
  final Set<PeerId> directPeers = new HashSet<>();
  private final Set<String> subscriptions = new LinkedHashSet<>();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  private int pendingValidations;
  private long seqno;
  private Cancellable heartbeatTask;

  /**
   * @param key our identity; signs what we publish under StrictSign
   * @param signer checks received signatures (carries the public key decoder)
   * @param scoreParams scoring parameters; topics absent from them are not scored
   * @param random the only randomness used (seeded in simulations)
   */
  public GossipsubRouter(GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds,
      PrivKey key, MessageSigner signer, MessageIdFunction idFunction, Scheduler scheduler, Random random,
      GossipsubOutbound outbound, MessageListener listener) {
    this.config = config;
    this.thresholds = thresholds;
    this.scheduler = scheduler;
    this.random = random;
    this.key = key;
    this.self = PeerId.fromPublicKey(key.publicKey());
    this.signer = signer;
    this.idFunction = idFunction;
    this.outbound = outbound;
    this.listener = listener;
    this.score = new PeerScore(scoreParams, scheduler);
    this.outbox = new Outbox(outbound, counters, config.limits().maxRpcBytes());
    this.mcache = new MessageCache(config.mcacheGossip(), config.mcacheLen());
    this.seen = new SeenCache(scheduler, config.seenTtlMillis(), MAX_SEEN_IDS);
    this.promises = new GossipPromises(random);
    this.heartbeat = new Heartbeat(this);
    // Sequence numbers start at a random point so a restarted node does not reuse old message ids.
    this.seqno = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL;
  }

  /** Schedules the heartbeat on the scheduler. */
  public void start() {
    if (heartbeatTask != null) return;
    heartbeatTask = scheduler.scheduleAtFixedRate(config.heartbeatInitialDelayMillis(), config.heartbeatIntervalMillis(), this::heartbeat);
  }

  public void stop() {
    if (heartbeatTask != null) heartbeatTask.cancel();
    heartbeatTask = null;
  }

  public PeerId self() {
    return self;
  }

  public RouterCounters counters() {
    return counters;
  }

  public double score(PeerId peer) {
    return score.score(peer);
  }

  public PeerScore peerScore() {
    return score;
  }

  /** Our mesh for {@code topic} (a copy; empty when not subscribed). */
  public Set<PeerId> mesh(String topic) {
    Set<PeerId> m = mesh.get(topic);
    return m == null ? Set.of() : Set.copyOf(m);
  }

  public Set<PeerId> fanout(String topic) {
    Set<PeerId> f = fanout.get(topic);
    return f == null ? Set.of() : Set.copyOf(f);
  }

  /** Peers we know to be subscribed to {@code topic}. */
  public Set<PeerId> topicPeers(String topic) {
    Set<PeerId> t = topicPeers.get(topic);
    return t == null ? Set.of() : Set.copyOf(t);
  }

  public Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  public Set<String> subscriptions() {
    return Set.copyOf(subscriptions);
  }

  /** Registers the validator of a topic (replacing any earlier one); messages are accepted without one. */
  public void setValidator(String topic, TopicValidator validator) {
    validators.put(topic, validator);
  }

  /**
   * Computes the ids of {@code topic}'s messages with {@code function} instead of the router's
   * default (every peer of the topic must use the same function). Set it before subscribing or
   * publishing: ids already in the caches keep the function they were computed with.
   */
  public void setMessageIdFunction(String topic, MessageIdFunction function) {
    topicIdFunctions.put(topic, java.util.Objects.requireNonNull(function, "function"));
  }

  private MessageId idOf(PubsubMessage m) {
    return topicIdFunctions.getOrDefault(m.topic(), idFunction).apply(m);
  }

  /** Explicit peering (v1.1): always forwarded to, never in the mesh, never graylisted. */
  public void addDirectPeer(PeerId peer) {
    directPeers.add(peer);
  }

  // ---------------------------------------------------------------- peers

  /**
   * A peer that speaks {@code protocol} connected. We send it our subscriptions.
   *
   * @param outbound whether we dialled it (for the D_out quota)
   * @param ip its IP address as text, for the colocation factor, or null
   */
  public void addPeer(PeerId peer, GossipsubProtocol protocol, boolean outbound, String ip) {
    if (peer.equals(self) || peers.containsKey(peer)) return;
    peers.put(peer, new PeerState(peer, protocol, outbound, ip));
    score.addPeer(peer, ip);
    for (String t : subscriptions) outbox.subscription(peer, true, t);
    outbox.flush();
  }

  public void removePeer(PeerId peer) {
    PeerState st = peers.remove(peer);
    if (st == null) return;
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      if (e.getValue().remove(peer)) score.prune(peer, e.getKey());
    }
    for (Set<PeerId> f : fanout.values()) f.remove(peer);
    for (String t : st.topics) removeTopicPeer(t, peer);
    score.removePeer(peer);
    outbox.forget(peer);
  }

  // ---------------------------------------------------------------- local API

  /** Joins a topic: announces it to every peer and builds a mesh (v1.0 "JOIN"). */
  public void subscribe(String topic) {
    if (!subscriptions.add(topic)) return;
    for (PeerId p : peers.keySet()) outbox.subscription(p, true, topic);
    Set<PeerId> m = new LinkedHashSet<>();
    mesh.put(topic, m);
    Set<PeerId> fan = fanout.remove(topic);
    fanoutLastPublished.remove(topic);
    if (fan != null) {
      for (PeerId p : fan) {
        if (m.size() >= config.d()) break;
        if (score.score(p) >= 0 && !inBackoff(topic, p, 0)) m.add(p);
      }
    }
    if (m.size() < config.d()) {
      List<PeerId> more = selectPeers(topic, config.d() - m.size(), p -> !m.contains(p) && meshCandidate(topic, p));
      m.addAll(more);
    }
    for (PeerId p : m) graftPeer(topic, p);
    outbox.flush();
  }

  /** Leaves a topic: PRUNEs the mesh with the unsubscribe backoff (v1.0 "LEAVE"). */
  public void unsubscribe(String topic) {
    if (!subscriptions.remove(topic)) return;
    for (PeerId p : peers.keySet()) outbox.subscription(p, false, topic);
    Set<PeerId> m = mesh.remove(topic);
    if (m != null) {
      for (PeerId p : m) {
        score.prune(p, topic);
        sendPrune(topic, p, config.unsubscribeBackoffMillis(), false);
      }
    }
    outbox.flush();
  }

  /** What {@link #publish} did. */
  public record Published(MessageId id, PubsubMessage message, int peers) {}

  /**
   * Publishes {@code data} on {@code topic}: signed under StrictSign, sent to every topic peer
   * above the publish threshold when flood publishing, else to the mesh or fanout.
   *
   * @throws IllegalArgumentException if the message would exceed the RPC size limit
   */
  public Published publish(String topic, byte[] data) {
    PubsubMessage m = config.signaturePolicy() == SignaturePolicy.STRICT_SIGN
        ? MessageSigner.sign(key, topic, data, nextSeqno())
        : new PubsubMessage(null, data, null, topic, null, null);
    if (m.encodedSize() > config.limits().maxRpcBytes() || m.dataLength() > config.limits().maxDataBytes()) {
      throw new IllegalArgumentException("message of " + m.dataLength() + " bytes exceeds the size limit");
    }
    MessageId id = idOf(m);
    if (!seen.add(id)) throw new IllegalArgumentException("duplicate message id " + id + " (StrictNoSign needs a content-based id function)");
    mcache.put(id, m);
    counters.published++;
    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> inTopic = topicPeers.getOrDefault(topic, Set.of());
    for (PeerId p : inTopic) {
      PeerState st = peers.get(p);
      if (st != null && st.protocol == GossipsubProtocol.FLOODSUB && score.score(p) >= thresholds.publish()) targets.add(p);
    }
    for (PeerId p : directPeers) if (inTopic.contains(p)) targets.add(p);
    if (config.floodPublish()) {
      for (PeerId p : inTopic) if (score.score(p) >= thresholds.publish()) targets.add(p);
    } else if (mesh.containsKey(topic)) {
      targets.addAll(mesh.get(topic));
    } else {
      Set<PeerId> fan = fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
      if (fan.isEmpty()) {
        fan.addAll(selectPeers(topic, config.d(), p -> !directPeers.contains(p) && isGossipsub(p) && score.score(p) >= thresholds.publish()));
      }
      targets.addAll(fan);
      fanoutLastPublished.put(topic, scheduler.nowMillis());
    }
    for (PeerId p : targets) outbox.message(p, m);
    outbox.flush();
    return new Published(id, m, targets.size());
  }

  private long nextSeqno() {
    return ++seqno;
  }

  // ---------------------------------------------------------------- inbound

  /** An encoded RPC arrived from {@code from}: decoded within limits, a malformed one costs P₇. */
  public void handleRpcBytes(PeerId from, byte[] bytes) {
    Rpc rpc;
    try {
      rpc = RpcCodec.decode(bytes, config.limits());
    } catch (MalformedRpcException e) {
      counters.malformedRpcs++;
      score.addPenalty(from, 1);
      LOG.debug("malformed RPC from {}: {}", from, e.getMessage());
      return;
    }
    handleRpc(from, rpc);
  }

  /** The transport saw a malformed frame from {@code from} (bad length prefix, oversized): one P₇ penalty. */
  public void reportMalformed(PeerId from, String reason) {
    counters.malformedRpcs++;
    score.addPenalty(from, 1);
    LOG.debug("malformed RPC stream from {}: {}", from, reason);
  }

  /** A decoded RPC arrived from {@code from}. */
  public void handleRpc(PeerId from, Rpc rpc) {
    PeerState st = peers.get(from);
    if (st == null) return;
    counters.rpcsReceived++;
    if (!directPeers.contains(from) && score.score(from) < thresholds.graylist()) {
      counters.graylistedRpcs++;
      return;
    }
    for (Rpc.Subscription s : rpc.subscriptions()) handleSubscription(st, s);
    for (PubsubMessage m : rpc.messages()) handleMessage(st, m);
    if (st.protocol.isGossipsub() && !rpc.control().isEmpty()) {
      Rpc.Control c = rpc.control();
      handleIHave(st, c.ihave());
      handleIWant(st, c.iwant());
      handleGraft(st, c.graft());
      handlePrune(st, c.prune());
      handleIDontWant(st, c.idontwant());
    }
    outbox.flush();
  }

  private void handleSubscription(PeerState st, Rpc.Subscription s) {
    if (s.subscribe()) {
      if (st.topics.contains(s.topic()) || st.topics.size() >= PeerState.MAX_TOPICS_PER_PEER) return;
      st.topics.add(s.topic());
      topicPeers.computeIfAbsent(s.topic(), t -> new LinkedHashSet<>()).add(st.id);
    } else if (st.topics.remove(s.topic())) {
      removeTopicPeer(s.topic(), st.id);
      Set<PeerId> m = mesh.get(s.topic());
      if (m != null && m.remove(st.id)) score.prune(st.id, s.topic());
      Set<PeerId> f = fanout.get(s.topic());
      if (f != null) f.remove(st.id);
    }
  }

  private void removeTopicPeer(String topic, PeerId peer) {
    Set<PeerId> set = topicPeers.get(topic);
    if (set != null && set.remove(peer) && set.isEmpty()) topicPeers.remove(topic);
  }

  private void handleMessage(PeerState st, PubsubMessage m) {
    counters.messagesReceived++;
    if (!subscriptions.contains(m.topic())) return;
    MessageId id = idOf(m);
    if (seen.contains(id)) {
      counters.duplicates++;
      score.duplicateMessage(st.id, id, m.topic());
      return;
    }
    MessageSigner.Verdict verdict = signer.verify(m, config.signaturePolicy());
    if (!verdict.valid()) {
      counters.invalidSignatures++;
      score.invalidMessage(st.id, m.topic());
      LOG.debug("dropping message from {}: {}", st.id, verdict.reason());
      return;
    }
    seen.add(id);
    promises.delivered(id);
    if (self.equals(verdict.author())) return;
    score.validateMessage(id);
    if (m.dataLength() >= config.idontwantMinDataBytes()) sendIDontWant(m.topic(), id, st.id);
    TopicValidator v = validators.get(m.topic());
    if (v == null) {
      finishValidation(st.id, id, m, ValidationResult.ACCEPT);
      return;
    }
    if (pendingValidations >= config.maxPendingValidations()) {
      counters.validationsThrottled++;
      finishValidation(st.id, id, m, ValidationResult.IGNORE);
      return;
    }
    runValidator(v, st.id, id, m);
  }

  private void runValidator(TopicValidator v, PeerId from, MessageId id, PubsubMessage m) {
    CompletableFuture<ValidationResult> f;
    try {
      CompletionStage<ValidationResult> stage = v.validate(from, m);
      f = stage == null ? CompletableFuture.completedFuture(ValidationResult.IGNORE) : stage.toCompletableFuture();
    } catch (RuntimeException e) {
      LOG.error("validator of {} threw", m.topic(), e);
      f = CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
    if (f.isDone()) {
      ValidationResult r = f.isCompletedExceptionally() ? null : f.join();
      finishValidation(from, id, m, r == null ? ValidationResult.IGNORE : r);
      return;
    }
    pendingValidations++;
    boolean[] done = new boolean[1];
    Cancellable timeout = scheduler.schedule(config.validationTimeoutMillis(), () -> {
      if (done[0]) return;
      done[0] = true;
      pendingValidations--;
      finishValidation(from, id, m, ValidationResult.IGNORE);
      outbox.flush();
    });
    f.whenComplete((r, err) -> scheduler.execute(() -> {
      if (done[0]) return;
      done[0] = true;
      timeout.cancel();
      pendingValidations--;
      finishValidation(from, id, m, err != null || r == null ? ValidationResult.IGNORE : r);
      outbox.flush();
    }));
  }

  private void finishValidation(PeerId from, MessageId id, PubsubMessage m, ValidationResult result) {
    switch (result) {
      case ACCEPT -> {
        counters.delivered++;
        score.deliverMessage(from, id, m.topic());
        mcache.put(id, m);
        forward(from, id, m);
        try {
          listener.onMessage(m, id, from);
        } catch (RuntimeException e) {
          LOG.error("message listener threw", e);
        }
      }
      case REJECT -> {
        counters.rejected++;
        score.rejectMessage(from, id, m.topic());
      }
      case IGNORE -> {
        counters.ignored++;
        score.ignoreMessage(id);
      }
    }
  }

  private void forward(PeerId from, MessageId id, PubsubMessage m) {
    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> inTopic = topicPeers.getOrDefault(m.topic(), Set.of());
    for (PeerId p : inTopic) {
      PeerState st = peers.get(p);
      if (st != null && st.protocol == GossipsubProtocol.FLOODSUB && score.score(p) >= thresholds.publish()) targets.add(p);
    }
    for (PeerId p : directPeers) if (inTopic.contains(p)) targets.add(p);
    Set<PeerId> m1 = mesh.get(m.topic());
    if (m1 != null) targets.addAll(m1);
    targets.remove(from);
    if (m.from() != null) {
      try {
        targets.remove(PeerId.fromBytes(m.from()));
      } catch (IllegalArgumentException ignored) {
        // StrictSign already checked it; under StrictNoSign there is no author to skip.
      }
    }
    for (PeerId p : targets) {
      PeerState st = peers.get(p);
      if (st == null || st.dontSend.containsKey(id)) continue;
      outbox.message(p, m);
    }
  }

  private void sendIDontWant(String topic, MessageId id, PeerId from) {
    Set<PeerId> m = mesh.get(topic);
    if (m == null) return;
    for (PeerId p : m) {
      PeerState st = peers.get(p);
      if (st != null && !p.equals(from) && st.protocol.supportsIDontWant()) outbox.idontwant(p, id);
    }
  }

  private void handleIHave(PeerState st, List<Rpc.IHave> ihaves) {
    if (ihaves.isEmpty() || score.score(st.id) < thresholds.gossip()) return;
    if (++st.ihaveThisHeartbeat > config.maxIHaveMessages()) return;
    if (st.askedThisHeartbeat >= config.maxIHaveLength()) return;
    Set<MessageId> want = new LinkedHashSet<>();
    for (Rpc.IHave h : ihaves) {
      if (!mesh.containsKey(h.topic())) continue;
      for (MessageId id : h.ids()) if (!seen.contains(id)) want.add(id);
    }
    if (want.isEmpty()) return;
    List<MessageId> ask = new ArrayList<>(want);
    int n = Math.min(ask.size(), config.maxIHaveLength() - st.askedThisHeartbeat);
    if (n < ask.size()) {
      Collections.shuffle(ask, random);
      ask = new ArrayList<>(ask.subList(0, n));
    }
    st.askedThisHeartbeat += n;
    promises.track(st.id, ask, scheduler.nowMillis() + config.iwantFollowupTimeMillis());
    outbox.iwant(st.id, ask);
  }

  private void handleIWant(PeerState st, List<Rpc.IWant> iwants) {
    if (iwants.isEmpty()) return;
    if (score.score(st.id) < thresholds.gossip()) return;
    Set<MessageId> sent = new HashSet<>();
    for (Rpc.IWant w : iwants) {
      for (MessageId id : w.ids()) {
        if (!sent.add(id)) continue;
        MessageCache.Served s = mcache.getForPeer(id, st.id);
        if (s == null) continue;
        if (s.count() > config.gossipRetransmission()) {
          counters.iwantRefused++;
          continue;
        }
        counters.iwantServed++;
        outbox.message(st.id, s.message());
      }
    }
  }

  private void handleGraft(PeerState st, List<Rpc.Graft> grafts) {
    long now = scheduler.nowMillis();
    for (Rpc.Graft g : grafts) {
      Set<PeerId> m = mesh.get(g.topic());
      if (m == null || m.contains(st.id)) continue; // unknown topic: ignored, as v1.1 asks (no PRUNE spam)
      if (directPeers.contains(st.id)) {
        LOG.debug("GRAFT from direct peer {}", st.id);
        sendPrune(g.topic(), st.id, config.pruneBackoffMillis(), false);
        continue;
      }
      Long until = backoff.getOrDefault(g.topic(), Map.of()).get(st.id);
      if (until != null && until > now) {
        score.addPenalty(st.id, 1);
        // A GRAFT right after our PRUNE is a flood: penalise it again (v1.1 "graft flood").
        if (now < until - config.pruneBackoffMillis() + config.graftFloodThresholdMillis()) score.addPenalty(st.id, 1);
        sendPrune(g.topic(), st.id, config.pruneBackoffMillis(), false);
        continue;
      }
      if (score.score(st.id) < 0) {
        sendPrune(g.topic(), st.id, config.pruneBackoffMillis(), false);
        continue;
      }
      if (m.size() >= config.dHi() && !st.outbound) {
        sendPrune(g.topic(), st.id, config.pruneBackoffMillis(), true);
        continue;
      }
      m.add(st.id);
      score.graft(st.id, g.topic());
    }
  }

  private void handlePrune(PeerState st, List<Rpc.Prune> prunes) {
    long now = scheduler.nowMillis();
    for (Rpc.Prune p : prunes) {
      Set<PeerId> m = mesh.get(p.topic());
      if (m == null) continue;
      if (m.remove(st.id)) score.prune(st.id, p.topic());
      long backoffMillis = p.backoffSeconds() == null || p.backoffSeconds() < 0
          ? config.pruneBackoffMillis()
          : Math.min(MAX_BACKOFF_MILLIS / 1000, p.backoffSeconds()) * 1000; // capped before scaling: seconds * 1000 can overflow
      addBackoff(p.topic(), st.id, now + backoffMillis);
      if (!p.peers().isEmpty() && score.score(st.id) >= thresholds.acceptPX()) followPeerExchange(p.peers());
    }
  }

  private void followPeerExchange(List<Rpc.PeerInfo> infos) {
    List<Rpc.PeerInfo> list = new ArrayList<>(infos);
    Collections.shuffle(list, random);
    int n = 0;
    for (Rpc.PeerInfo pi : list) {
      if (n >= config.prunePeers()) break;
      if (pi.peerId() == null) continue;
      PeerId p;
      try {
        p = PeerId.fromBytes(pi.peerId());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (p.equals(self) || peers.containsKey(p)) continue;
      n++;
      outbound.connect(p, pi.signedPeerRecord());
    }
  }

  private void handleIDontWant(PeerState st, List<Rpc.IDontWant> entries) {
    for (Rpc.IDontWant d : entries) {
      for (MessageId id : d.ids()) {
        if (++st.idontwantThisHeartbeat > config.maxIDontWantIdsPerHeartbeat()) return;
        st.dontSend.put(id, heartbeat.ticks());
      }
    }
  }

  // ---------------------------------------------------------------- heartbeat and helpers

  /** One heartbeat: mesh and fanout maintenance, gossip, cache shift, score decay. */
  public void heartbeat() {
    heartbeat.run();
    outbox.flush();
  }

  void graftPeer(String topic, PeerId p) {
    score.graft(p, topic);
    outbox.graft(p, topic);
  }

  /** Queues a PRUNE to {@code p} and records the backoff on our side too. */
  void sendPrune(String topic, PeerId p, long backoffMillis, boolean withPeerExchange) {
    PeerState st = peers.get(p);
    if (st == null) return;
    addBackoff(topic, p, scheduler.nowMillis() + backoffMillis);
    if (!st.protocol.supportsPeerExchange()) {
      outbox.prune(p, new Rpc.Prune(topic, List.of(), null));
      return;
    }
    List<Rpc.PeerInfo> px = List.of();
    if (withPeerExchange && config.doPeerExchange() && score.score(p) >= 0) {
      px = new ArrayList<>();
      for (PeerId q : selectPeers(topic, config.prunePeers(), q -> !q.equals(p) && isGossipsub(q) && score.score(q) >= 0)) {
        px.add(new Rpc.PeerInfo(q.bytes(), null));
      }
    }
    outbox.prune(p, new Rpc.Prune(topic, px, backoffMillis / 1000));
  }

  void addBackoff(String topic, PeerId p, long until) {
    Map<PeerId, Long> b = backoff.computeIfAbsent(topic, t -> new HashMap<>());
    Long old = b.get(p);
    if (old == null || old < until) b.put(p, until);
  }

  /** Whether {@code p} is in backoff for {@code topic}, {@code slackMillis} past its expiry included. */
  boolean inBackoff(String topic, PeerId p, long slackMillis) {
    Long until = backoff.getOrDefault(topic, Map.of()).get(p);
    return until != null && until + slackMillis > scheduler.nowMillis();
  }

  boolean isGossipsub(PeerId p) {
    PeerState st = peers.get(p);
    return st != null && st.protocol.isGossipsub();
  }

  /** May {@code p} be grafted into the mesh of {@code topic} now? */
  boolean meshCandidate(String topic, PeerId p) {
    return isGossipsub(p) && !directPeers.contains(p) && !inBackoff(topic, p, 2 * config.heartbeatIntervalMillis())
        && score.score(p) >= 0;
  }

  /** Up to {@code n} random peers of {@code topic} passing {@code filter}. */
  List<PeerId> selectPeers(String topic, int n, java.util.function.Predicate<PeerId> filter) {
    List<PeerId> all = new ArrayList<>();
    for (PeerId p : topicPeers.getOrDefault(topic, Set.of())) if (filter.test(p)) all.add(p);
    Collections.shuffle(all, random);
    return all.size() <= n ? all : new ArrayList<>(all.subList(0, n));
  }
}
