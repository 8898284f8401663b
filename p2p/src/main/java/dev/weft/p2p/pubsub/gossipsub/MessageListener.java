package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.pubsub.MessageId;
import dev.weft.p2p.pubsub.PubsubMessage;

/**
 * Receives validated messages on topics we subscribe to, once per message id, on the router's
 * thread (don't block). Our own published messages are not echoed back.
 */
@FunctionalInterface
public interface MessageListener {
  void onMessage(PubsubMessage message, MessageId id, PeerId receivedFrom);
}
