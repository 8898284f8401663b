package dev.weft.node.round;

import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ValueIds;

/** The compact form of a value a leader sends: message ids for reports and contributions. */
public final class ProposalIds {
  private ProposalIds() {}

  public static ValueIds of(ProposalValue v) {
    ValueIds.Builder b = ValueIds.newBuilder();
    for (Envelope e : v.getReportsList()) b.addReportIds(RoundCodec.idOf(e).toByteString());
    for (Envelope e : v.getContributionsList()) b.addContributionIds(RoundCodec.idOf(e).toByteString());
    b.addAllEvidence(v.getEvidenceList());
    return b.build();
  }
}
