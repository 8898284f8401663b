package dev.weft.node.round;

import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.Signed;
import java.util.List;

/** What a {@link ConsensusRound} needs from the machine around it. Called on the machine's thread only. */
interface ConsensusContext {
  RoundConfig config();

  RoundSigner signer();

  RoundCodec codec();

  ProposalRules rules();

  Membership membership();

  BlobTracker blobs();

  ContributionPool pool();

  List<RoundAction> out();

  /** Two conflicting messages by one key: record the evidence and spread it. */
  void conflict(Signed first, Signed second);

  /** Verified evidence not yet sealed, for a leader's proposal. */
  List<Signed> pendingEvidence();

  void decided(Decision d);

  /** Ask {@code peer} for the certificate of the round, or for these contributions. */
  void sync(PeerKey peer, List<Integer> contributors);

  /** Ask {@code peer} for the reports or contributions with these message ids. */
  void syncIds(PeerKey peer, List<dev.weft.node.round.msg.Digest> ids);

  /** Send {@code peer} a sync request for this round with what {@code b} asks for (run and round are filled in). */
  void request(PeerKey peer, dev.weft.node.round.msg.pb.SyncRequestBody.Builder b);

  void alarm(String reason);

  void misbehaved(PeerKey peer, String reason);
}
