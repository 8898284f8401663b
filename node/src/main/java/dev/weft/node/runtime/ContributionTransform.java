package dev.weft.node.runtime;

import dev.weft.aggregation.codec.Codec;
import dev.weft.p2p.api.PeerId;
import java.util.List;
import java.util.Set;

/**
 * Turns a node's pseudo-gradient into the bytes it publishes. Honest nodes encode it with the
 * run's codec; the testnet's attackers plug in here (with the attacks of
 * {@code aggregation/attack}), which is the only way an attacker differs from an honest node.
 */
public interface ContributionTransform {
  ContributionTransform HONEST = (own, others, previous, round, codec) -> codec.encode(own);

  /**
   * Peers whose contributions this node wants to see before it crafts its own (an omniscient
   * attacker waits for the honest ones); empty means craft at once. Waiting ends at the cut-off
   * regardless.
   */
  default boolean waitsForOthers() {
    return false;
  }

  /**
   * Whether this node also signs a second, different contribution for the round and sends it to
   * half of the voters: equivocation, the protocol-level attack that certified evidence answers
   * with a ban (every voter that sees both holds the proof).
   */
  default boolean equivocates() {
    return false;
  }

  /** Peers this transform treats as its own side (colluders are not waited for). */
  default Set<PeerId> colluders() {
    return Set.of();
  }

  /**
   * @param own this node's Δ = θ − θ'
   * @param others decoded contributions of other peers held so far this round (only when {@link #waitsForOthers})
   * @param previousAggregate the last round's aggregate, or null
   */
  byte[] craft(float[] own, List<float[]> others, float[] previousAggregate, long round, Codec codec);
}
