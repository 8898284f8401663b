package dev.weft.node.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.Ed25519RoundKeys;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundLimits;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.p2p.crypto.Ed25519;
import org.junit.jupiter.api.Test;

/** What convicts a leader: two values in one view, not one value sent as a reference and as ids. */
class EvidenceRulesTest {
  final RoundCodec codec = new RoundCodec("run", RoundLimits.defaults(), Ed25519RoundKeys.verifier());
  final RoundSigner leader = Ed25519RoundKeys.signer(Ed25519.fromSeedNumber(7));
  final RoundSigner voter = Ed25519RoundKeys.signer(Ed25519.fromSeedNumber(8));
  final VoterSet voters = new VoterSet(java.util.stream.Stream.of(leader.key(), voter.key()).sorted().toList());

  ProposalValue value(int bits) {
    ReportBody r = ReportBody.newBuilder().setRun("run").setRound(1).setBitmap(ByteString.copyFrom(new byte[] {(byte) bits})).build();
    return ProposalValue.newBuilder().addReports(RoundCodec.seal(Kind.REPORT, r, voter)).build();
  }

  Signed proposal(ProposalBody.Builder b) {
    return codec.sign(Kind.PROPOSAL, b.setRun("run").setRound(1).setView(2).setPolView(-1).build(), leader);
  }

  PeerKeyOrNull convicts(Signed a, Signed b) throws RoundMessageException {
    Signed ev = codec.sign(Kind.EVIDENCE, EvidenceRules.conflict("run", a, b), voter);
    return new PeerKeyOrNull(EvidenceRules.offender(codec.decode(codec.encode(ev)), rules()::open));
  }

  record PeerKeyOrNull(dev.weft.node.round.msg.PeerKey key) {}

  ProposalRules rules() {
    return new ProposalRules(new RoundConfig("run", RoundLimits.defaults(), 1, 1000, 8000, CutoffEstimator.CutoffConfig.defaults(), 16, 100, 1000), codec);
  }

  @Test
  void oneValueInTwoFormsIsNoEquivocation() throws Exception {
    ProposalValue v = value(1);
    Signed byRef = proposal(ProposalBody.newBuilder().setRef(ProposalIds.ref(v, voters)));
    Signed byIds = proposal(ProposalBody.newBuilder().setIds(ProposalIds.of(v)));
    Signed whole = proposal(ProposalBody.newBuilder().setValue(v));
    assertEquals(ProposalIds.valueHash(byRef.proposal()), ProposalIds.valueHash(byIds.proposal()));
    assertEquals(ProposalIds.valueHash(byRef.proposal()), ProposalIds.valueHash(whole.proposal()));
    assertNull(convicts(byRef, byIds).key());
    assertNull(convicts(byIds, whole).key());
  }

  @Test
  void twoValuesInOneViewConvictTheLeaderInAnyForm() throws Exception {
    Signed a = proposal(ProposalBody.newBuilder().setRef(ProposalIds.ref(value(1), voters)));
    Signed b = proposal(ProposalBody.newBuilder().setIds(ProposalIds.of(value(3))));
    assertEquals(leader.key(), convicts(a, b).key());
    Signed c = proposal(ProposalBody.newBuilder().setRef(ProposalIds.ref(value(3), voters)));
    assertEquals(leader.key(), convicts(a, c).key());
  }

  @Test
  void theReferenceHashIsTheCheckedValueHash() throws Exception {
    ProposalValue v = value(1);
    Signed r = codec.openChecked(v.getReports(0));
    assertEquals(CheckedValue.hashOf(java.util.List.of(r), java.util.List.of(), java.util.List.of()), Digest.from(ProposalIds.ref(v, voters).getValueHash()));
  }
}
