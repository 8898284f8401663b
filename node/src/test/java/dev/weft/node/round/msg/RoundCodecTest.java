package dev.weft.node.round.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.node.round.msg.pb.ValueRef;
import dev.weft.node.round.msg.pb.VoteBody;
import dev.weft.p2p.crypto.Ed25519;
import org.junit.jupiter.api.Test;

class RoundCodecTest {
  static final RoundSigner ALICE = Ed25519RoundKeys.signer(Ed25519.fromSeedNumber(1));
  static final RoundSigner BOB = Ed25519RoundKeys.signer(Ed25519.fromSeedNumber(2));
  final RoundCodec codec = new RoundCodec("run-1", RoundLimits.defaults(), Ed25519RoundKeys.verifier());

  static ContributionBody contribution(String run, long round) {
    return ContributionBody.newBuilder().setRun(run).setRound(round)
        .setBaseRoot(Digest.of(new byte[] {1}).toByteString()).setCid(Digest.of(new byte[] {2}).toByteString())
        .setSize(1000).setNorm(1.5).setTokens(4096).build();
  }

  static ReportBody report(String run, long round, int bits) {
    return ReportBody.newBuilder().setRun(run).setRound(round).setBitmap(ByteString.copyFrom(new byte[] {(byte) bits})).build();
  }

  @Test
  void roundTripKeepsBodySignerAndId() throws Exception {
    Signed s = codec.sign(Kind.CONTRIBUTION, contribution("run-1", 7), ALICE);
    Signed back = codec.decode(codec.encode(s));
    assertEquals(s.body(), back.body());
    assertEquals(ALICE.key(), back.signer());
    assertEquals(s.id(), back.id());
    assertEquals(7, back.round());
  }

  @Test
  void flippedSignatureBitIsRejected() {
    byte[] frame = codec.encode(codec.sign(Kind.CONTRIBUTION, contribution("run-1", 7), ALICE));
    frame[frame.length - 1] ^= 1;
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> codec.decode(frame));
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void signatureOfOneKindDoesNotPassAsAnother() {
    Envelope pre = RoundCodec.seal(Kind.PREVOTE, vote(3), ALICE);
    Envelope asPrecommit = pre.toBuilder().setKind(Kind.PRECOMMIT).build();
    assertThrows(RoundMessageException.class, () -> codec.decode(asPrecommit.toByteArray()));
  }

  @Test
  void messageForAnotherRunIsRejectedEvenWhenSignedWell() {
    Envelope env = RoundCodec.seal(Kind.CONTRIBUTION, contribution("run-2", 7), ALICE);
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> codec.decode(env.toByteArray()));
    assertTrue(e.getMessage().contains("another run"));
  }

  @Test
  void oversizedFrameIsRejectedBeforeParsing() {
    byte[] big = new byte[RoundLimits.defaults().maxMessageBytes() + 1];
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> codec.decode(big));
    assertTrue(e.getMessage().contains("exceeds"));
  }

  @Test
  void oversizedSmallBodyIsRejected() {
    ReportBody huge = ReportBody.newBuilder().setRun("run-1").setRound(1).setBitmap(ByteString.copyFrom(new byte[4000])).build();
    Envelope env = RoundCodec.seal(Kind.REPORT, huge, ALICE);
    assertThrows(RoundMessageException.class, () -> codec.decode(env.toByteArray()));
  }

  @Test
  void nonCanonicalBodyIsRejected() {
    // The same field twice: protobuf keeps the last, so the bytes are not what re-encoding gives.
    byte[] body = contribution("run-1", 7).toByteArray();
    byte[] twice = new byte[body.length + 2];
    System.arraycopy(body, 0, twice, 0, body.length);
    twice[body.length] = 0x10; // field 2 (round), varint
    twice[body.length + 1] = 0x07;
    Envelope env = Envelope.newBuilder().setKind(Kind.CONTRIBUTION).setBody(ByteString.copyFrom(twice))
        .setSigner(ByteString.copyFrom(ALICE.key().bytes())).setSignature(ByteString.copyFrom(new byte[64])).build();
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> codec.decode(env.toByteArray()));
    assertTrue(e.getMessage().contains("canonical"), e.getMessage());
  }

  @Test
  void nestedReportWithBadSignatureSinksTheProposal() {
    Envelope good = RoundCodec.seal(Kind.REPORT, report("run-1", 3, 1), ALICE);
    Envelope forged = RoundCodec.seal(Kind.REPORT, report("run-1", 3, 1), BOB).toBuilder()
        .setSigner(ByteString.copyFrom(ALICE.key().bytes())).build();
    ProposalBody ok = proposal(good, good);
    codecDecodes(RoundCodec.seal(Kind.PROPOSAL, ok, BOB));
    Envelope bad = RoundCodec.seal(Kind.PROPOSAL, proposal(good, forged), BOB);
    assertThrows(RoundMessageException.class, () -> codec.decode(bad.toByteArray()));
  }

  @Test
  void nestedMessageFromAnotherRoundIsRejected() {
    Envelope other = RoundCodec.seal(Kind.REPORT, report("run-1", 4, 1), ALICE);
    Envelope p = RoundCodec.seal(Kind.PROPOSAL, proposal(other), BOB);
    assertThrows(RoundMessageException.class, () -> codec.decode(p.toByteArray()));
  }

  @Test
  void tooManyNestedReportsAreRejected() {
    RoundLimits small = new RoundLimits(1 << 20, 2, 64, 4, 64, 512);
    RoundCodec strict = new RoundCodec("run-1", small, Ed25519RoundKeys.verifier());
    Envelope r = RoundCodec.seal(Kind.REPORT, report("run-1", 3, 1), ALICE);
    Envelope p = RoundCodec.seal(Kind.PROPOSAL, proposal(r, r, r), BOB);
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> strict.decode(p.toByteArray()));
    assertTrue(e.getMessage().contains("too many reports"), e.getMessage());
  }

  @Test
  void proposalCarriesItsValueItsIdsOrItsReferenceExactlyOne() {
    Envelope r = RoundCodec.seal(Kind.REPORT, report("run-1", 3, 1), ALICE);
    ProposalBody full = proposal(r);
    ProposalBody both = full.toBuilder().setIds(dev.weft.node.round.ProposalIds.of(full.getValue())).build();
    ProposalBody neither = full.toBuilder().clearValue().build();
    ProposalBody ids = full.toBuilder().clearValue().setIds(dev.weft.node.round.ProposalIds.of(full.getValue())).build();
    assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, both, BOB).toByteArray()));
    assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, neither, BOB).toByteArray()));
    codecDecodes(RoundCodec.seal(Kind.PROPOSAL, ids, BOB));
    ProposalBody shortId = full.toBuilder().clearValue().setIds(dev.weft.node.round.msg.pb.ValueIds.newBuilder().addReportIds(ByteString.copyFrom(new byte[31]))).build();
    assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, shortId, BOB).toByteArray()));
    ValueRef ref = ValueRef.newBuilder().setReporters(ByteString.copyFrom(new byte[] {7})).setValueHash(Digest.ZERO.toByteString()).build();
    codecDecodes(RoundCodec.seal(Kind.PROPOSAL, full.toBuilder().clearValue().setRef(ref).build(), BOB));
    ProposalBody refAndIds = ids.toBuilder().setRef(ref).build();
    assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, refAndIds, BOB).toByteArray()));
    ProposalBody shortHash = full.toBuilder().clearValue().setRef(ref.toBuilder().setValueHash(ByteString.copyFrom(new byte[31]))).build();
    assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, shortHash, BOB).toByteArray()));
    byte[] tooManyVoters = new byte[RoundLimits.defaults().maxVoters() / 8 + 1];
    ProposalBody longBitmap = full.toBuilder().clearValue().setRef(ref.toBuilder().setReporters(ByteString.copyFrom(tooManyVoters))).build();
    RoundMessageException e = assertThrows(RoundMessageException.class, () -> codec.decode(RoundCodec.seal(Kind.PROPOSAL, longBitmap, BOB).toByteArray()));
    assertTrue(e.getMessage().contains("reporter bitmap"), e.getMessage());
  }

  @Test
  void garbageIsAMessageExceptionNotACrash() {
    assertThrows(RoundMessageException.class, () -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
    assertThrows(RoundMessageException.class, () -> codec.decode(new byte[0]));
  }

  @Test
  void differentSignatureBytesKeepTheMessageId() throws Exception {
    Signed a = codec.sign(Kind.PREVOTE, vote(1), ALICE);
    Signed b = codec.sign(Kind.PREVOTE, vote(1), ALICE);
    assertArrayEquals(a.id().bytes(), b.id().bytes());
  }

  private void codecDecodes(Envelope e) {
    try {
      codec.decode(e.toByteArray());
    } catch (RoundMessageException ex) {
      throw new AssertionError("should decode: " + ex.getMessage(), ex);
    }
  }

  static VoteBody vote(int view) {
    return VoteBody.newBuilder().setRun("run-1").setRound(3).setView(view)
        .setValueHash(Digest.ZERO.toByteString()).setStateRoot(Digest.ZERO.toByteString()).build();
  }

  static ProposalBody proposal(Envelope... reports) {
    ProposalValue.Builder v = ProposalValue.newBuilder();
    for (Envelope r : reports) v.addReports(r);
    return ProposalBody.newBuilder().setRun("run-1").setRound(3).setView(0).setValue(v).setPolView(-1).build();
  }
}
