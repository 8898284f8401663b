package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.ProposalValue;
import java.util.List;

/**
 * A proposal value that passed {@link ProposalRules}: its hash, the Q reports, the sealed
 * contributions (sorted by contributor index), the contributor indices, the sealed evidence and the
 * offenders it bans.
 *
 * @param isNull fewer contributions than the aggregator needs: applying it leaves θ unchanged
 */
public record CheckedValue(
    Digest hash,
    ProposalValue value,
    List<Signed> reports,
    List<Signed> contributions,
    List<Integer> indices,
    List<Signed> evidence,
    List<PeerKey> offenders,
    boolean isNull) {

  /** The contributions to aggregate: none for a null value. */
  public List<Signed> applied() {
    return isNull ? List.of() : contributions;
  }

  /** Hash of a value: over message ids (not signature bytes), in the value's order. */
  static Digest hashOf(List<Signed> reports, List<Signed> contributions, List<Signed> evidence) {
    return hashOfIds(reports.stream().map(Signed::id).toList(), contributions.stream().map(Signed::id).toList(), evidence.stream().map(Signed::id).toList());
  }

  /** {@link #hashOf} from the message ids alone: what a proposal in the ids form names. */
  static Digest hashOfIds(List<Digest> reports, List<Digest> contributions, List<Digest> evidence) {
    var md = Digest.sha256();
    md.update("weft/value/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (List<Digest> part : List.of(reports, contributions, evidence)) {
      md.update(java.nio.ByteBuffer.allocate(4).putInt(part.size()).array());
      for (Digest id : part) md.update(id.bytes());
    }
    return new Digest(md.digest());
  }
}
