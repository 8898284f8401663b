package dev.weft.crdt.sim;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.net.DeltaGossip;
import dev.weft.crdt.net.PeerBudget;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaConfig;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.crdt.type.HybridClock;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import dev.weft.p2p.pubsub.RpcLimits;
import dev.weft.p2p.pubsub.gossipsub.GossipsubConfig;
import dev.weft.p2p.pubsub.gossipsub.GossipsubProtocol;
import dev.weft.p2p.pubsub.gossipsub.GossipsubRouter;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreParams;
import dev.weft.p2p.pubsub.gossipsub.PeerScoreThresholds;
import dev.weft.p2p.pubsub.gossipsub.TopicScoreParams;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Replicas of one run on virtual time: each with a real gossipsub router (its RPCs encoded and
 * decoded as on the wire) and anti-entropy sessions with random neighbours, over simulated links
 * that lose, duplicate and reorder messages and can be partitioned. Deterministic given the seed.
 */
final class SimCluster {
  static final String RUN = "sim-run";
  static final String TOPIC = DeltaGossip.topic(RUN);
  /** Virtual wall clock origin (2026-01-01), so hybrid clocks look real. */
  static final long EPOCH = 1_767_225_600_000L;

  final SimScheduler sim;
  final Random random;
  final List<Node> nodes = new ArrayList<>();
  final PrivKey coordinatorKey;
  final List<PrivKey> committee = new ArrayList<>();
  final Schema schema;
  final SyncConfig syncConfig;
  double messageLoss;
  double duplication;
  double streamBreak;
  BiPredicate<Node, Node> partitioned = (a, b) -> false;
  long gossipBytes;
  long syncBytes;
  long sessions;
  long failedSessions;

  final class Node {
    final int index;
    final PrivKey key;
    final PeerId id;
    final Replica replica;
    final RunState run;
    final GossipsubRouter router;
    final List<Node> neighbours = new ArrayList<>();

    Node(int index, PrivKey key) {
      this.index = index;
      this.key = key;
      this.id = PeerId.fromPublicKey(key.publicKey());
      this.replica = new Replica(RUN, schema, key, new HybridClock(() -> EPOCH + sim.nowMillis(), 60_000),
          ReplicaConfig.defaults(), ReplicaStore.NONE);
      this.run = new RunState(replica);
      PeerScoreParams score = PeerScoreParams.defaults(Map.of(TOPIC, TopicScoreParams.defaults()));
      this.router = new GossipsubRouter(GossipsubConfig.defaults(), score, PeerScoreThresholds.defaults(), key,
          new MessageSigner(), MessageIdFunction.FROM_AND_SEQNO, sim, new Random(random.nextLong()),
          (peer, rpc) -> transmit(this, byId(peer), rpc), (m, mid, from) -> { });
      router.setMessageIdFunction(TOPIC, DeltaGossip.CONTENT_ID);
      router.setValidator(TOPIC, DeltaGossip.validator(replica, new PeerBudget(sim, 500, 2000, 1024)));
      router.subscribe(TOPIC);
      router.start();
    }

    void publish(dev.weft.crdt.delta.SignedDelta d) {
      router.publish(TOPIC, d.encoded());
    }

    /** Sends {@code data} as a pubsub message of ours to {@code to} only (what a lying peer does). */
    void sendOnlyTo(Node to, byte[] data) {
      PubsubMessage m = MessageSigner.sign(key, TOPIC, data, random.nextLong() & Long.MAX_VALUE);
      transmit(this, to, Rpc.ofMessages(List.of(m)));
    }
  }

  SimCluster(long seed, int n, int degree) {
    this.sim = new SimScheduler(seed);
    this.random = sim.random();
    this.coordinatorKey = Ed25519.fromSeedNumber(seed * 1000);
    List<PrivKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) keys.add(Ed25519.fromSeedNumber(seed * 1000 + i + 1));
    keys.set(0, coordinatorKey);
    Set<PeerId> committeeIds = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      committee.add(keys.get(i));
      committeeIds.add(PeerId.fromPublicKey(keys.get(i).publicKey()));
    }
    this.schema = RunSchema.standard(PeerId.fromPublicKey(coordinatorKey.publicKey()), QuorumCertificate.verifier(committeeIds, 3), null);
    this.syncConfig = new SyncConfig(64 << 10, 4L << 20, 1024, 16, 1024, 1024, 3_000, 1_000);
    for (int i = 0; i < n; i++) nodes.add(new Node(i, keys.get(i)));
    for (Node a : nodes) {
      while (a.neighbours.size() < degree) {
        Node b = nodes.get(random.nextInt(n));
        if (b == a || a.neighbours.contains(b)) continue;
        link(a, b);
      }
    }
    for (Node a : nodes) {
      long phase = random.nextInt((int) syncConfig.periodMillis());
      sim.scheduleAtFixedRate(phase, syncConfig.periodMillis(), () -> {
        if (a.neighbours.isEmpty()) return;
        startSession(a, a.neighbours.get(random.nextInt(a.neighbours.size())));
      });
    }
  }

  private void link(Node a, Node b) {
    a.neighbours.add(b);
    b.neighbours.add(a);
    a.router.addPeer(b.id, GossipsubProtocol.MESHSUB_V12, true, "10.0." + b.index / 250 + "." + b.index % 250);
    b.router.addPeer(a.id, GossipsubProtocol.MESHSUB_V12, false, "10.0." + a.index / 250 + "." + a.index % 250);
  }

  Node byId(PeerId id) {
    for (Node n : nodes) if (n.id.equals(id)) return n;
    throw new IllegalArgumentException("unknown " + id);
  }

  private long latency() {
    return 5 + random.nextInt(45);
  }

  /** Gossip: each message of an RPC may be lost or duplicated; RPCs take independent latencies (so they reorder). */
  private void transmit(Node from, Node to, Rpc rpc) {
    if (partitioned.test(from, to)) return;
    List<PubsubMessage> kept = new ArrayList<>();
    List<PubsubMessage> dups = new ArrayList<>();
    for (PubsubMessage m : rpc.messages()) {
      if (random.nextDouble() < messageLoss) continue;
      kept.add(m);
      if (random.nextDouble() < duplication) dups.add(m);
    }
    Rpc out = new Rpc(rpc.subscriptions(), kept, rpc.control());
    deliver(from, to, RpcCodec.encode(out), latency());
    if (!dups.isEmpty()) deliver(from, to, RpcCodec.encode(Rpc.ofMessages(dups)), latency() + 100);
  }

  private void deliver(Node from, Node to, byte[] bytes, long delay) {
    gossipBytes += bytes.length;
    sim.schedule(delay, () -> {
      if (!partitioned.test(from, to)) to.router.handleRpcBytes(from.id, bytes);
    });
  }

  /** One anti-entropy exchange over a simulated stream: ordered, may break (then both sides time out). */
  void startSession(Node a, Node b) {
    if (partitioned.test(a, b)) return;
    sessions++;
    SyncSession sa = new SyncSession(a.replica, b.id, syncConfig);
    SyncSession sb = new SyncSession(b.replica, a.id, syncConfig);
    SimStream stream = new SimStream(a, b, sa, sb);
    stream.run(a, sa.start());
    stream.run(b, sb.start());
  }

  /** Both ends of one simulated stream. */
  private final class SimStream {
    final Node a;
    final Node b;
    final SyncSession sa;
    final SyncSession sb;
    long nextA;
    long nextB;
    boolean broken;
    boolean finished;

    SimStream(Node a, Node b, SyncSession sa, SyncSession sb) {
      this.a = a;
      this.b = b;
      this.sa = sa;
      this.sb = sb;
      sim.schedule(syncConfig.readTimeoutMillis() * 4, () -> {
        if (!finished) {
          sa.onTimeout();
          sb.onTimeout();
          failedSessions++;
          finished = true;
        }
      });
    }

    void run(Node at, List<SyncSession.Action> actions) {
      for (SyncSession.Action act : actions) {
        switch (act) {
          case SyncSession.Action.Send s -> send(at, s.frame());
          case SyncSession.Action.Finish f -> { }
          case SyncSession.Action.Fail f -> {
            broken = true;
          }
        }
      }
      if (sa.isOver() && sb.isOver()) finished = true;
    }

    void send(Node from, byte[] frame) {
      if (broken) return;
      syncBytes += frame.length + 3;
      if (random.nextDouble() < streamBreak) {
        broken = true;
        return;
      }
      Node to = from == a ? b : a;
      SyncSession target = from == a ? sb : sa;
      long now = sim.nowMillis();
      long at = Math.max(now + latency(), from == a ? nextA : nextB);
      if (from == a) nextA = at;
      else nextB = at;
      sim.schedule(at - now, () -> {
        if (broken || partitioned.test(from, to)) {
          broken = true;
          return;
        }
        run(to, target.onFrame(frame));
      });
    }
  }

  /** Whether every node in {@code honest} has the same state root. */
  boolean converged(List<Node> honest) {
    byte[] root = honest.get(0).replica.stateRoot();
    for (Node n : honest) if (!Arrays.equals(root, n.replica.stateRoot())) return false;
    return true;
  }

  static RpcLimits limits() {
    return RpcLimits.defaults();
  }
}
