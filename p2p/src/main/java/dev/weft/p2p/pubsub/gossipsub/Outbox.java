package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what the router wants to tell each peer while it handles one event and sends it as as
 * few RPCs as possible when the event is done (control piggybacked on messages, gossipsub v1.0
 * "Control Message Piggybacking"), splitting so that no RPC exceeds {@code maxRpcBytes}.
 * Router thread only.
 */
final class Outbox {
  private static final class Pending {
    final List<Rpc.Subscription> subscriptions = new ArrayList<>();
    final List<PubsubMessage> messages = new ArrayList<>();
    final List<Rpc.IHave> ihave = new ArrayList<>();
    final List<MessageId> iwant = new ArrayList<>();
    final List<Rpc.Graft> graft = new ArrayList<>();
    final List<Rpc.Prune> prune = new ArrayList<>();
    final List<MessageId> idontwant = new ArrayList<>();
  }

  private final Map<PeerId, Pending> pending = new LinkedHashMap<>();
  private final GossipsubOutbound outbound;
  private final RouterCounters counters;
  private final int maxRpcBytes;

  Outbox(GossipsubOutbound outbound, RouterCounters counters, int maxRpcBytes) {
    this.outbound = outbound;
    this.counters = counters;
    this.maxRpcBytes = maxRpcBytes;
  }

  private Pending to(PeerId peer) {
    return pending.computeIfAbsent(peer, k -> new Pending());
  }

  void subscription(PeerId peer, boolean subscribe, String topic) {
    to(peer).subscriptions.add(new Rpc.Subscription(subscribe, topic));
  }

  void message(PeerId peer, PubsubMessage m) {
    to(peer).messages.add(m);
  }

  void ihave(PeerId peer, String topic, List<MessageId> ids) {
    to(peer).ihave.add(new Rpc.IHave(topic, ids));
  }

  void iwant(PeerId peer, List<MessageId> ids) {
    to(peer).iwant.addAll(ids);
  }

  void graft(PeerId peer, String topic) {
    to(peer).graft.add(new Rpc.Graft(topic));
  }

  void prune(PeerId peer, Rpc.Prune prune) {
    to(peer).prune.add(prune);
  }

  void idontwant(PeerId peer, MessageId id) {
    to(peer).idontwant.add(id);
  }

  /** Drops anything queued for a peer that went away. */
  void forget(PeerId peer) {
    pending.remove(peer);
  }

  /** Sends everything queued, one or more RPCs per peer. */
  void flush() {
    if (pending.isEmpty()) return;
    List<Map.Entry<PeerId, Pending>> entries = new ArrayList<>(pending.entrySet());
    pending.clear();
    for (Map.Entry<PeerId, Pending> e : entries) send(e.getKey(), e.getValue());
  }

  private void send(PeerId peer, Pending p) {
    Rpc.Control control = new Rpc.Control(p.ihave, p.iwant.isEmpty() ? List.of() : List.of(new Rpc.IWant(p.iwant)),
        p.graft, p.prune, p.idontwant.isEmpty() ? List.of() : List.of(new Rpc.IDontWant(p.idontwant)));
    Rpc head = new Rpc(p.subscriptions, List.of(), control);
    int size = RpcCodec.rpcSize(head);
    List<PubsubMessage> batch = new ArrayList<>();
    for (PubsubMessage m : p.messages) {
      int ms = m.encodedSize();
      if (size + ms > maxRpcBytes && (!batch.isEmpty() || !head.isEmpty())) {
        emit(peer, new Rpc(head.subscriptions(), batch, head.control()));
        head = Rpc.EMPTY;
        batch = new ArrayList<>();
        size = 0;
      }
      batch.add(m);
      size += ms;
    }
    Rpc last = new Rpc(head.subscriptions(), batch, head.control());
    if (!last.isEmpty()) emit(peer, last);
  }

  private void emit(PeerId peer, Rpc rpc) {
    counters.rpcsSent++;
    counters.messagesSent += rpc.messages().size();
    outbound.send(peer, rpc);
  }
}
