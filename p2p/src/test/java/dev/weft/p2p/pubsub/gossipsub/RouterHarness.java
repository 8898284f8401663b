package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.TestKeys;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/** One router under test, with scripted remote peers whose outgoing RPCs are recorded. */
final class RouterHarness {
  static final String TOPIC = "t";

  final SimScheduler scheduler = new SimScheduler(1);
  final Random random = new Random(2);
  final PrivKey key = TestKeys.generate(random);
  final Map<PeerId, PrivKey> peerKeys = new HashMap<>();
  final Map<PeerId, List<Rpc>> sent = new HashMap<>();
  final List<PeerId> connectRequests = new ArrayList<>();
  final List<PubsubMessage> delivered = new ArrayList<>();
  final GossipsubRouter router;
  long seq = 1;

  RouterHarness() {
    this(GossipsubConfig.defaults(), p -> 0);
  }

  RouterHarness(GossipsubConfig config, ToDoubleFunction<PeerId> appScore) {
    PeerScoreParams params = new PeerScoreParams(Map.of(TOPIC, TopicScoreParams.defaults()), 10, appScore, 1, -5, 10,
        java.util.Set.of(), -10, 0, 0.9, 1_000, 0.01, 300_000, null);
    router = new GossipsubRouter(config, params, PeerScoreThresholds.defaults(), key, new MessageSigner(TestKeys.DECODER),
        MessageIdFunction.FROM_AND_SEQNO, scheduler, random, new GossipsubOutbound() {
          @Override public void send(PeerId peer, Rpc rpc) {
            sent.computeIfAbsent(peer, k -> new ArrayList<>()).add(rpc);
          }

          @Override public void connect(PeerId peer, byte[] signedPeerRecord) {
            connectRequests.add(peer);
          }
        }, (m, id, from) -> delivered.add(m));
  }

  PeerId newPeer(GossipsubProtocol protocol, boolean outbound, String ip) {
    PrivKey k = TestKeys.generate(random);
    PeerId p = PeerId.fromPublicKey(k.publicKey());
    peerKeys.put(p, k);
    router.addPeer(p, protocol, outbound, ip);
    return p;
  }

  /** n peers speaking v1.1, subscribed to the topic; the first {@code outbound} are outbound. */
  List<PeerId> subscribedPeers(int n, int outbound) {
    List<PeerId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PeerId p = newPeer(GossipsubProtocol.MESHSUB_V11, i < outbound, "10.0.0." + (i + 1));
      router.handleRpc(p, new Rpc(List.of(new Rpc.Subscription(true, TOPIC)), List.of(), null));
      out.add(p);
    }
    return out;
  }

  PubsubMessage messageFrom(PeerId author, byte[] data) {
    return MessageSigner.sign(peerKeys.get(author), TOPIC, data, seq++);
  }

  MessageId id(PubsubMessage m) {
    return MessageIdFunction.FROM_AND_SEQNO.apply(m);
  }

  void control(PeerId from, Rpc.Control c) {
    router.handleRpc(from, Rpc.ofControl(c));
  }

  static Rpc.Control graft(String topic) {
    return new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft(topic)), List.of(), List.of());
  }

  static Rpc.Control prune(String topic, List<Rpc.PeerInfo> px, Long backoff) {
    return new Rpc.Control(List.of(), List.of(), List.of(), List.of(new Rpc.Prune(topic, px, backoff)), List.of());
  }

  static Rpc.Control ihave(String topic, List<MessageId> ids) {
    return new Rpc.Control(List.of(new Rpc.IHave(topic, ids)), List.of(), List.of(), List.of(), List.of());
  }

  static Rpc.Control iwant(List<MessageId> ids) {
    return new Rpc.Control(List.of(), List.of(new Rpc.IWant(ids)), List.of(), List.of(), List.of());
  }

  static Rpc.Control idontwant(List<MessageId> ids) {
    return new Rpc.Control(List.of(), List.of(), List.of(), List.of(), List.of(new Rpc.IDontWant(ids)));
  }

  List<Rpc> sentTo(PeerId p) {
    return sent.getOrDefault(p, List.of());
  }

  void clearSent() {
    sent.clear();
  }

  List<PubsubMessage> messagesTo(PeerId p) {
    List<PubsubMessage> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) out.addAll(r.messages());
    return out;
  }

  List<Rpc.Graft> graftsTo(PeerId p) {
    List<Rpc.Graft> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) out.addAll(r.control().graft());
    return out;
  }

  List<Rpc.Prune> prunesTo(PeerId p) {
    List<Rpc.Prune> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) out.addAll(r.control().prune());
    return out;
  }

  List<Rpc.IHave> ihavesTo(PeerId p) {
    List<Rpc.IHave> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) out.addAll(r.control().ihave());
    return out;
  }

  List<MessageId> iwantsTo(PeerId p) {
    List<MessageId> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) for (Rpc.IWant w : r.control().iwant()) out.addAll(w.ids());
    return out;
  }

  List<MessageId> idontwantsTo(PeerId p) {
    List<MessageId> out = new ArrayList<>();
    for (Rpc r : sentTo(p)) for (Rpc.IDontWant w : r.control().idontwant()) out.addAll(w.ids());
    return out;
  }
}
