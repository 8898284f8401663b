package dev.weft.node.round.msg;

import dev.weft.node.round.msg.pb.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes the fuzz seed corpus: {@code java ... RoundCorpusWriter <dir>}. Kept so the corpus can be regenerated. */
final class RoundCorpusWriter {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    RoundCodec codec = new RoundCodec("run-1", RoundLimits.defaults(), Ed25519RoundKeys.verifier());
    byte[] contribution = codec.encode(codec.sign(Kind.CONTRIBUTION, RoundCodecTest.contribution("run-1", 7), RoundCodecTest.ALICE));
    byte[] vote = codec.encode(codec.sign(Kind.PREVOTE, RoundCodecTest.vote(2), RoundCodecTest.ALICE));
    var report = dev.weft.node.round.msg.RoundCodec.seal(Kind.REPORT, RoundCodecTest.report("run-1", 3, 5), RoundCodecTest.ALICE);
    byte[] proposal = codec.encode(codec.sign(Kind.PROPOSAL, RoundCodecTest.proposal(report, report), RoundCodecTest.BOB));
    Files.write(dir.resolve("contribution"), contribution);
    Files.write(dir.resolve("prevote"), vote);
    Files.write(dir.resolve("proposal"), proposal);
    Files.write(dir.resolve("truncated_proposal"), Arrays.copyOf(proposal, proposal.length / 2));
    var ref = dev.weft.node.round.msg.pb.ValueRef.newBuilder().setReporters(com.google.protobuf.ByteString.copyFrom(new byte[] {5}))
        .setValueHash(Digest.of(new byte[] {3}).toByteString()).build();
    var refBody = RoundCodecTest.proposal(report).toBuilder().clearValue().setRef(ref).build();
    Files.write(dir.resolve("proposal_ref"), codec.encode(codec.sign(Kind.PROPOSAL, refBody, RoundCodecTest.BOB)));
    var sync = dev.weft.node.round.msg.pb.SyncRequestBody.newBuilder().setRun("run-1").setRound(3).addReporters(2)
        .setValueHash(Digest.of(new byte[] {3}).toByteString()).build();
    Files.write(dir.resolve("sync_request"), codec.encode(codec.sign(Kind.SYNC_REQUEST, sync, RoundCodecTest.ALICE)));
  }
}
