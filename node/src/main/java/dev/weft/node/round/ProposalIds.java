package dev.weft.node.round;

import com.google.protobuf.ByteString;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ValueIds;
import dev.weft.node.round.msg.pb.ValueRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact forms of a value a leader sends: its reference (whose reports, and the hash; what an
 * honest leader sends first) and its message ids (the answer to a voter whose books filled the
 * reference differently).
 */
public final class ProposalIds {
  private ProposalIds() {}

  public static ValueIds of(ProposalValue v) {
    ValueIds.Builder b = ValueIds.newBuilder();
    for (Envelope e : v.getReportsList()) b.addReportIds(RoundCodec.idOf(e).toByteString());
    for (Envelope e : v.getContributionsList()) b.addContributionIds(RoundCodec.idOf(e).toByteString());
    b.addAllEvidence(v.getEvidenceList());
    return b.build();
  }

  /** The reference to value {@code v} (its reports by voters of the round) among {@code voters}. */
  static ValueRef ref(ProposalValue v, VoterSet voters) {
    byte[] bitmap = new byte[(voters.n() + 7) / 8];
    for (Envelope r : v.getReportsList()) InclusionRule.set(bitmap, voters.indexOf(new PeerKey(r.getSigner().toByteArray())));
    Digest hash = CheckedValue.hashOfIds(ids(v.getReportsList()), ids(v.getContributionsList()), ids(v.getEvidenceList()));
    return ValueRef.newBuilder().setReporters(ByteString.copyFrom(bitmap)).setValueHash(hash.toByteString()).addAllEvidence(v.getEvidenceList()).build();
  }

  /** The hash of the value a proposal names, in whichever form it travels (unchecked: for evidence). */
  public static Digest valueHash(ProposalBody p) {
    if (p.hasRef()) return Digest.from(p.getRef().getValueHash());
    if (p.hasIds()) {
      ValueIds ids = p.getIds();
      return CheckedValue.hashOfIds(digests(ids.getReportIdsList()), digests(ids.getContributionIdsList()), ids(ids.getEvidenceList()));
    }
    ProposalValue v = p.getValue();
    return CheckedValue.hashOfIds(ids(v.getReportsList()), ids(v.getContributionsList()), ids(v.getEvidenceList()));
  }

  private static List<Digest> digests(List<ByteString> list) {
    List<Digest> out = new ArrayList<>(list.size());
    for (ByteString b : list) out.add(Digest.from(b));
    return out;
  }

  private static List<Digest> ids(List<Envelope> list) {
    List<Digest> out = new ArrayList<>(list.size());
    for (Envelope e : list) out.add(RoundCodec.idOf(e));
    return out;
  }
}
