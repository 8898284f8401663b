package dev.weft.node.round;

import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.EvidenceBody;
import dev.weft.node.round.msg.pb.Kind;

/**
 * Which evidence proves misbehaviour by itself: two different messages signed by one key for one
 * slot (a contribution or report per round; a prevote or precommit per view; a proposal's value
 * per view, whatever form it travels in). The codec has checked both signatures, so only the key's
 * holder can have made the pair. Single-message (invalid-blob) evidence proves nothing here and is
 * never sealed: judging it would need the blob, and a blob that does not decode needs no accuser —
 * it is sealed like any held blob and its contributor banned by the apply step, from certified
 * data ({@code RoundMachine#bans}).
 */
public final class EvidenceRules {
  private EvidenceRules() {}

  /** Builds the evidence body for a conflicting pair. */
  public static EvidenceBody conflict(String run, Signed a, Signed b) {
    return EvidenceBody.newBuilder().setRun(run).setRound(a.round()).setFirst(a.envelope()).setSecond(b.envelope()).build();
  }

  /** The key the evidence convicts, or null if it proves nothing. */
  public static PeerKey offender(Signed evidence, RoundCodecAccess codec) {
    if (evidence.kind() != Kind.EVIDENCE) return null;
    EvidenceBody e = evidence.evidence();
    if (!e.hasSecond()) return null;
    Signed a = codec.open(e.getFirst());
    Signed b = codec.open(e.getSecond());
    if (a == null || b == null) return null;
    if (!a.signer().equals(b.signer()) || a.kind() != b.kind() || a.round() != b.round()) return null;
    if (a.id().equals(b.id())) return null;
    return switch (a.kind()) {
      case CONTRIBUTION, REPORT -> a.signer();
      // A leader may send one value in two forms (a reference, then its ids to a voter that asks):
      // that is one proposal. Two values in one view are the equivocation.
      case PROPOSAL -> a.view() == b.view() && !ProposalIds.valueHash(a.proposal()).equals(ProposalIds.valueHash(b.proposal())) ? a.signer() : null;
      case PREVOTE, PRECOMMIT -> a.view() == b.view() ? a.signer() : null;
      default -> null;
    };
  }

  /** Opens an already-checked nested envelope (null if it does not pass). */
  @FunctionalInterface
  public interface RoundCodecAccess {
    Signed open(dev.weft.node.round.msg.pb.Envelope e);
  }
}
