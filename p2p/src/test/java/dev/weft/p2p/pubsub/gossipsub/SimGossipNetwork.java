package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import dev.weft.p2p.pubsub.TestKeys;
import dev.weft.p2p.pubsub.TopicValidator;
import dev.weft.p2p.pubsub.ValidationResult;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A deterministic in-JVM network of gossipsub routers on one {@link SimScheduler}: links with a
 * fixed per-link latency and independent loss of RPCs, every RPC encoded and decoded as on the
 * wire. Records, per message, when and after how many hops each node delivered it and how many
 * copies crossed the links.
 */
final class SimGossipNetwork {
  static final String TOPIC = "weft/run/sim/state";
  /** Honest validators reject payloads starting with this byte (the spammers' "invalid" content). */
  static final byte INVALID_MARK = (byte) 0xBA;

  enum Behaviour { HONEST, DROPPER, SPAMMER }

  final class Node {
    final int index;
    final PrivKey key;
    final PeerId id;
    final Behaviour behaviour;
    final GossipsubRouter router;
    final Map<PeerId, Long> latency = new LinkedHashMap<>();

    Node(int index, Behaviour behaviour, GossipsubConfig config, PeerScoreParams params, PeerScoreThresholds thresholds) {
      this.index = index;
      this.behaviour = behaviour;
      this.key = TestKeys.generate(scheduler.random());
      this.id = PeerId.fromPublicKey(key.publicKey());
      this.router = new GossipsubRouter(config, params, thresholds, key, new MessageSigner(TestKeys.DECODER),
          MessageIdFunction.FROM_AND_SEQNO, scheduler, new Random(scheduler.random().nextLong()),
          (peer, rpc) -> transmit(this, peer, rpc), (m, mid, from) -> delivered(this, mid, from));
      TopicValidator v = (from, m) -> CompletableFuture.completedFuture(
          m.dataLength() > 0 && m.data()[0] == INVALID_MARK ? ValidationResult.REJECT : ValidationResult.ACCEPT);
      router.setValidator(TOPIC, v);
    }
  }

  /** What is known about one published message. */
  static final class Trace {
    final int publisher;
    final long publishedAt;
    final Map<Integer, Long> deliveredAt = new HashMap<>();
    final Map<Integer, Integer> hops = new HashMap<>();
    final Map<Integer, Integer> copiesReceived = new HashMap<>();
    long transmissions;

    Trace(int publisher, long publishedAt) {
      this.publisher = publisher;
      this.publishedAt = publishedAt;
    }
  }

  final SimScheduler scheduler;
  final List<Node> nodes = new ArrayList<>();
  final Map<PeerId, Node> byId = new HashMap<>();
  final Map<MessageId, Trace> traces = new LinkedHashMap<>();
  private final double loss;
  private final long minLatency;
  private final long maxLatency;
  long rpcsLost;
  long bytesSent;

  SimGossipNetwork(long seed, double loss, long minLatencyMillis, long maxLatencyMillis) {
    this.scheduler = new SimScheduler(seed);
    this.loss = loss;
    this.minLatency = minLatencyMillis;
    this.maxLatency = maxLatencyMillis;
  }

  Node addNode(Behaviour b, GossipsubConfig config, PeerScoreParams params, PeerScoreThresholds thresholds) {
    Node n = new Node(nodes.size(), b, config, params, thresholds);
    nodes.add(n);
    byId.put(n.id, n);
    return n;
  }

  /** Each node dials {@code dials} distinct random others (outbound for the dialler). */
  void connectRandomly(int dials) {
    Random r = scheduler.random();
    for (Node a : nodes) {
      int made = 0;
      while (made < dials) {
        Node b = nodes.get(r.nextInt(nodes.size()));
        if (b == a || a.latency.containsKey(b.id)) continue;
        long lat = minLatency + (long) (r.nextDouble() * (maxLatency - minLatency));
        a.latency.put(b.id, lat);
        b.latency.put(a.id, lat);
        a.router.addPeer(b.id, GossipsubProtocol.MESHSUB_V11, true, ip(b));
        b.router.addPeer(a.id, GossipsubProtocol.MESHSUB_V11, false, ip(a));
        made++;
      }
    }
  }

  private static String ip(Node n) {
    return "10." + (n.index / 250) + "." + (n.index % 250) + ".1";
  }

  void startAll() {
    for (Node n : nodes) n.router.start();
  }

  private void transmit(Node from, PeerId to, Rpc original) {
    Node target = byId.get(to);
    Long lat = from.latency.get(to);
    if (target == null || lat == null) return;
    // A dropper loses every message it should relay or serve; its control traffic goes on as usual.
    Rpc rpc = from.behaviour == Behaviour.DROPPER ? new Rpc(original.subscriptions(), List.of(), original.control()) : original;
    if (rpc.isEmpty()) return;
    for (PubsubMessage m : rpc.messages()) {
      MessageId mid = MessageIdFunction.FROM_AND_SEQNO.apply(m);
      Trace t = traces.get(mid);
      if (t == null && pendingTrace != null) {
        t = pendingTrace;
        traces.put(mid, t);
      }
      if (t != null) t.transmissions++;
    }
    byte[] bytes = RpcCodec.encode(rpc);
    bytesSent += bytes.length;
    if (scheduler.random().nextDouble() < loss) {
      rpcsLost++;
      return;
    }
    PeerId fromId = from.id;
    scheduler.schedule(lat, () -> {
      Trace seenBy;
      for (PubsubMessage m : rpc.messages()) {
        seenBy = traces.get(MessageIdFunction.FROM_AND_SEQNO.apply(m));
        if (seenBy != null) seenBy.copiesReceived.merge(target.index, 1, Integer::sum);
      }
      target.router.handleRpcBytes(fromId, bytes);
    });
  }

  private void delivered(Node at, MessageId id, PeerId from) {
    Trace t = traces.get(id);
    if (t == null) return;
    t.deliveredAt.putIfAbsent(at.index, scheduler.nowMillis());
    Node sender = byId.get(from);
    Integer senderHops = sender == null ? null : t.hops.get(sender.index);
    t.hops.putIfAbsent(at.index, senderHops == null ? -1 : senderHops + 1);
  }

  /** Publishes a random payload from {@code n} and starts tracing it. */
  MessageId publish(Node n, int size) {
    byte[] data = new byte[size];
    scheduler.random().nextBytes(data);
    if (data.length > 0 && data[0] == INVALID_MARK) data[0] = 0;
    Trace t = new Trace(n.index, scheduler.nowMillis());
    t.hops.put(n.index, 0);
    t.deliveredAt.put(n.index, scheduler.nowMillis());
    // The router sends the first copies inside publish(), before we know the id: transmit() files them under this trace.
    pendingTrace = t;
    MessageId id;
    try {
      id = n.router.publish(TOPIC, data).id();
    } finally {
      pendingTrace = null;
    }
    traces.putIfAbsent(id, t);
    return id;
  }

  private Trace pendingTrace;

  /** Spam from a spammer to all its neighbours: invalid signatures, validator-rejected content and bogus IHAVEs. */
  void spam(Node n, int perKind) {
    List<PubsubMessage> msgs = new ArrayList<>();
    for (int i = 0; i < perKind; i++) {
      byte[] data = new byte[64];
      scheduler.random().nextBytes(data);
      PubsubMessage signed = MessageSigner.sign(n.key, TOPIC, data, scheduler.random().nextLong() & Long.MAX_VALUE);
      byte[] tampered = Arrays.copyOf(data, data.length);
      tampered[1] ^= 1;
      msgs.add(new PubsubMessage(signed.from(), tampered, signed.seqno(), TOPIC, signed.signature(), signed.key()));
      data[0] = INVALID_MARK;
      msgs.add(MessageSigner.sign(n.key, TOPIC, data, scheduler.random().nextLong() & Long.MAX_VALUE));
    }
    List<dev.weft.p2p.pubsub.MessageId> bogus = new ArrayList<>();
    for (int i = 0; i < perKind; i++) {
      byte[] b = new byte[46];
      scheduler.random().nextBytes(b);
      bogus.add(dev.weft.p2p.pubsub.MessageId.of(b));
    }
    Rpc rpc = new Rpc(List.of(), msgs, new Rpc.Control(List.of(new Rpc.IHave(TOPIC, bogus)), List.of(), List.of(), List.of(), List.of()));
    byte[] bytes = RpcCodec.encode(rpc);
    for (Map.Entry<PeerId, Long> e : n.latency.entrySet()) {
      Node target = byId.get(e.getKey());
      bytesSent += bytes.length;
      scheduler.schedule(e.getValue(), () -> target.router.handleRpcBytes(n.id, bytes));
    }
  }
}
