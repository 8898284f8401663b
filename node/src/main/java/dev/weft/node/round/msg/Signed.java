package dev.weft.node.round.msg;

import com.google.protobuf.Message;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.EvidenceBody;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.NullRoundBody;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.node.round.msg.pb.SealCertificateBody;
import dev.weft.node.round.msg.pb.SyncRequestBody;
import dev.weft.node.round.msg.pb.VoteBody;

/**
 * A message whose signature, limits and run binding have been checked by {@link RoundCodec}. The
 * body is an immutable generated message of the class the kind names.
 *
 * @param id SHA-256 over what was signed (kind, body, signer): two messages with equal ids are the
 *     same message whatever their signature bytes
 */
public record Signed(Kind kind, PeerKey signer, Message body, Envelope envelope, Digest id, long round) {
  public ContributionBody contribution() {
    return (ContributionBody) body;
  }

  public ReportBody report() {
    return (ReportBody) body;
  }

  public ProposalBody proposal() {
    return (ProposalBody) body;
  }

  /** A prevote or precommit. */
  public VoteBody vote() {
    return (VoteBody) body;
  }

  public SealCertificateBody certificate() {
    return (SealCertificateBody) body;
  }

  public NullRoundBody nullRound() {
    return (NullRoundBody) body;
  }

  public EvidenceBody evidence() {
    return (EvidenceBody) body;
  }

  public SyncRequestBody syncRequest() {
    return (SyncRequestBody) body;
  }

  /** The view for view-bound kinds, else 0. */
  public int view() {
    return switch (kind) {
      case PROPOSAL -> proposal().getView();
      case PREVOTE, PRECOMMIT -> vote().getView();
      case SEAL_CERTIFICATE -> certificate().getView();
      case NULL_ROUND -> nullRound().getView();
      default -> 0;
    };
  }

  @Override
  public String toString() {
    return kind + "(r" + round + " v" + view() + " by " + signer + " " + id + ")";
  }
}
