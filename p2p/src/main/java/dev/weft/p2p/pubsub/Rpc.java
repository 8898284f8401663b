package dev.weft.p2p.pubsub;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A decoded pubsub RPC (pubsub README "The RPC", gossipsub v1.0/v1.1/v1.2 "Protobuf"): what the
 * {@link RpcCodec} produces and consumes. Lists are immutable.
 */
public record Rpc(List<Subscription> subscriptions, List<PubsubMessage> messages, Control control) {
  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), Control.EMPTY);

  public Rpc {
    subscriptions = List.copyOf(subscriptions);
    messages = List.copyOf(messages);
    control = control == null ? Control.EMPTY : control;
  }

  public static Rpc ofMessages(List<PubsubMessage> messages) {
    return new Rpc(List.of(), messages, Control.EMPTY);
  }

  public static Rpc ofControl(Control control) {
    return new Rpc(List.of(), List.of(), control);
  }

  public boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control.isEmpty();
  }

  /** SubOpts: a peer (un)subscribing from a topic. */
  public record Subscription(boolean subscribe, String topic) {
    public Subscription {
      Objects.requireNonNull(topic, "topic");
    }
  }

  /** The gossipsub control part; empty lists when absent. */
  public record Control(List<IHave> ihave, List<IWant> iwant, List<Graft> graft, List<Prune> prune, List<IDontWant> idontwant) {
    public static final Control EMPTY = new Control(List.of(), List.of(), List.of(), List.of(), List.of());

    public Control {
      ihave = List.copyOf(ihave);
      iwant = List.copyOf(iwant);
      graft = List.copyOf(graft);
      prune = List.copyOf(prune);
      idontwant = List.copyOf(idontwant);
    }

    public boolean isEmpty() {
      return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty() && idontwant.isEmpty();
    }
  }

  /** IHAVE: message ids we have in the cache for a topic (gossip). */
  public record IHave(String topic, List<MessageId> ids) {
    public IHave {
      Objects.requireNonNull(topic, "topic");
      ids = List.copyOf(ids);
    }
  }

  /** IWANT: message ids we ask for after an IHAVE. */
  public record IWant(List<MessageId> ids) {
    public IWant {
      ids = List.copyOf(ids);
    }
  }

  /** GRAFT: the sender added us to its mesh for the topic. */
  public record Graft(String topic) {
    public Graft {
      Objects.requireNonNull(topic, "topic");
    }
  }

  /**
   * PRUNE: the sender removed us from its mesh.
   *
   * @param peers peer exchange (v1.1), possibly empty
   * @param backoffSeconds how long not to re-graft (v1.1), or null when absent (v1.0 peers)
   */
  public record Prune(String topic, List<PeerInfo> peers, Long backoffSeconds) {
    public Prune {
      Objects.requireNonNull(topic, "topic");
      peers = List.copyOf(peers);
    }
  }

  /** A PX entry: a peer id and optionally its signed peer record envelope. */
  public record PeerInfo(byte[] peerId, byte[] signedPeerRecord) {
    @Override public boolean equals(Object o) {
      return o instanceof PeerInfo p && Arrays.equals(peerId, p.peerId) && Arrays.equals(signedPeerRecord, p.signedPeerRecord);
    }

    @Override public int hashCode() {
      return Arrays.hashCode(peerId);
    }

    @Override public String toString() {
      return "PeerInfo[" + (peerId == null ? "-" : peerId.length + "B") + "]";
    }
  }

  /** IDONTWANT (v1.2): the sender already has these messages. */
  public record IDontWant(List<MessageId> ids) {
    public IDontWant {
      ids = List.copyOf(ids);
    }
  }
}
