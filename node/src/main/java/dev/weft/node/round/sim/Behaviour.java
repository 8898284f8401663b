package dev.weft.node.round.sim;

import dev.weft.node.round.RoundAction;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import java.util.List;

/**
 * How a simulated peer deviates from the protocol. A Byzantine peer runs the honest machine and
 * rewrites what it sends; it holds only its own signing key.
 */
public interface Behaviour {
  /** Whether the invariants treat this peer as honest. */
  boolean honest();

  /** Rewrites one action the peer's machine asked for. */
  default List<RoundAction> outgoing(SimPeer self, RoundAction a, Simulation sim) {
    return List.of(a);
  }

  /** Sees a decoded incoming message first; false drops it before the machine. */
  default boolean incoming(SimPeer self, PeerKey from, Signed m, Simulation sim) {
    return true;
  }

  /** Whether this peer serves {@code cid} to {@code requester}. */
  default boolean serves(SimPeer self, Digest cid, SimPeer requester) {
    return true;
  }

  Behaviour HONEST = () -> true;
}
