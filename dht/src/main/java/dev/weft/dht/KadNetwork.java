package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.codec.DhtMessage;
import java.util.function.Consumer;

/**
 * How a {@link KadNode} reaches other nodes: a stream per request on a real host, a message queue
 * in simulations. Implementations call {@code onResult} at most once, on the node's scheduler;
 * the node applies its own timeout, so a request that is never answered just never calls back.
 */
public interface KadNetwork {
  /** The outcome of one request. */
  sealed interface Result {
    /** The peer answered (decoded and within limits). */
    record Reply(DhtMessage message) implements Result {}

    /** A one-way message (ADD_PROVIDER) was written. */
    record Sent() implements Result {}

    /** Could not reach the peer, it reset the stream, or it does not speak the protocol. */
    record Failed(String reason) implements Result {}

    /** No answer within the node's request timeout (set by the node, not the network). */
    record TimedOut() implements Result {}

    /** The peer answered with something that is not a valid message: it misbehaved. */
    record Malformed(String reason) implements Result {}
  }

  /**
   * Sends {@code request} to {@code peer}; with {@code expectReply} false (ADD_PROVIDER) no
   * answer is read.
   */
  void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult);

  /** Checks that {@code peer} is alive (libp2p ping on a host); calls back true or false. */
  void ping(PeerInfo peer, Consumer<Boolean> onResult);
}
