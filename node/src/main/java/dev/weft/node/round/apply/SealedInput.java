package dev.weft.node.round.apply;

import dev.weft.node.round.msg.PeerKey;

/**
 * One sealed contribution, decoded: its contributor, pseudo-gradient (null when the blob did not
 * decode, with the reason) and weight (tokens).
 */
public record SealedInput(PeerKey contributor, float[] delta, double weight, String malformed) {
  public static SealedInput ok(PeerKey contributor, float[] delta, double weight) {
    return new SealedInput(contributor, delta, weight, null);
  }

  public static SealedInput malformed(PeerKey contributor, String why) {
    return new SealedInput(contributor, null, 1, why);
  }
}
