package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.NullRoundBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.SealCertificateBody;
import java.util.List;

/**
 * What a SEAL_CERTIFICATE and a NULL_ROUND share (the same shape, kept apart on the wire so logs
 * and fate reports name them): read once here for every checker of certificates.
 */
public record CertificateFields(long round, int view, ProposalValue value, Digest root, List<Envelope> precommits) {
  /** The fields of {@code c}, or null if it is neither kind of certificate. */
  public static CertificateFields of(Signed c) {
    if (c.kind() == Kind.SEAL_CERTIFICATE) {
      SealCertificateBody b = c.certificate();
      return new CertificateFields(b.getRound(), b.getView(), b.getValue(), Digest.from(b.getStateRoot()), b.getPrecommitsList());
    }
    if (c.kind() == Kind.NULL_ROUND) {
      NullRoundBody b = c.nullRound();
      return new CertificateFields(b.getRound(), b.getView(), b.getValue(), Digest.from(b.getStateRoot()), b.getPrecommitsList());
    }
    return null;
  }
}
