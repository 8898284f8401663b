package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What the router knows about one connected pubsub peer. Router thread only. */
final class PeerState {
  /** Topics one peer may be subscribed to in our view; more subscriptions are ignored. */
  static final int MAX_TOPICS_PER_PEER = 1024;

  final PeerId id;
  final GossipsubProtocol protocol;
  final boolean outbound;
  final String ip;
  final Set<String> topics = new LinkedHashSet<>();
  /** IHAVE entries received this heartbeat. */
  int ihaveThisHeartbeat;
  /** Message ids asked from this peer through IWANT this heartbeat. */
  int askedThisHeartbeat;
  /** IDONTWANT ids received this heartbeat. */
  int idontwantThisHeartbeat;
  /** Ids the peer said it does not want, with the heartbeat tick they arrived at. */
  final Map<MessageId, Long> dontSend = new HashMap<>();

  PeerState(PeerId id, GossipsubProtocol protocol, boolean outbound, String ip) {
    this.id = id;
    this.protocol = protocol;
    this.outbound = outbound;
    this.ip = ip;
  }
}
