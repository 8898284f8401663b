package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A certified decision: Q precommits for (round, view, value, root).
 *
 * @param certificate a SEAL_CERTIFICATE or NULL_ROUND message carrying the proof
 * @param precommitters the voters whose precommits it holds (repair sources)
 */
public record Decision(long round, int view, CheckedValue value, Digest root, List<PeerKey> precommitters, Signed certificate) {
  /**
   * The seed of the next round's leader rotation: what every honest peer agrees on (not the
   * certificate bytes, whose choice of Q precommits differs between peers).
   */
  public Digest seed() {
    return seedOf(round, view, value.hash(), root);
  }

  /** The next round's seed from what a certificate's precommits name: checkable without the rounds before it. */
  public static Digest seedOf(long round, int view, Digest valueHash, Digest root) {
    return Digest.of("weft/seed/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        ByteBuffer.allocate(12).putLong(round).putInt(view).array(), valueHash.bytes(), root.bytes());
  }

  /** Same value and root: two decisions that do not fork. */
  public boolean agrees(Decision o) {
    return round == o.round && value.hash().equals(o.value.hash()) && root.equals(o.root);
  }
}
