package dev.weft.node.runtime;

import dev.weft.node.round.Decision;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.Kind;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a checkpoint a peer sent is the state the run certified, checked from the one
 * certificate it carries — the certificate of the round that produced it — without the rounds
 * before: a pure function.
 *
 * <p>A joiner that was away longer than peers keep certificates cannot replay the chain, and does
 * not know the voter set of a round it missed (bans change it). What it does know is the run's
 * members, from the run spec. Of any {@code n} members at most {@code f = ⌊(n−1)/3⌋} are
 * Byzantine, so precommits of <b>f + 1 distinct members</b> for one (round, view, value, root)
 * include at least one honest member's, and an honest member precommits only the root it
 * computed: the root is certified. The checkpoint's state must have that root, and its seed must be
 * the one that round's value and root give ({@link Decision#seedOf}). Its ban list is not covered
 * (bans accumulate over rounds the certificate does not show): {@link CheckpointAgreement} still
 * asks two certified answers to agree on it. Round 0 has no certificate: its θ is checked against the
 * run's initial hash instead.
 */
public final class CheckpointCertificate {
  private CheckpointCertificate() {}

  /**
   * Why {@code cp} is not certified by {@code certificate}, or null when it is.
   *
   * @param members the run's members voting by the certified round (the spec's list)
   */
  public static String check(CertifiedCheckpoint cp, byte[] certificate, RoundCodec codec, Collection<PeerKey> members) {
    if (cp.round() < 1) return "a round-0 checkpoint has no certificate";
    if (certificate == null) return "no certificate";
    Signed c;
    try {
      c = codec.decode(certificate);
    } catch (RoundMessageException e) {
      return "certificate does not verify: " + e.getMessage();
    }
    dev.weft.node.round.CertificateFields fields = dev.weft.node.round.CertificateFields.of(c);
    if (fields == null) return "not a certificate but a " + c.kind();
    long round = fields.round();
    int view = fields.view();
    Digest root = fields.root();
    List<Envelope> precommits = fields.precommits();
    if (round != cp.round() - 1) return "a certificate of round " + round + " for a checkpoint that starts round " + cp.round();
    if (!root.equals(cp.state().root())) return "the checkpoint's state root is not the certified one";
    Set<PeerKey> memberSet = new HashSet<>(members);
    Set<PeerKey> signers = new HashSet<>();
    Digest value = null;
    for (Envelope e : precommits) {
      Signed v;
      try {
        v = codec.openChecked(e);
      } catch (RoundMessageException x) {
        return "a precommit does not verify: " + x.getMessage();
      }
      if (v.kind() != Kind.PRECOMMIT || v.round() != round || v.view() != view) return "a proof vote of another kind, round or view";
      Digest vh = Digest.from(v.vote().getValueHash());
      if (value == null) value = vh;
      else if (!value.equals(vh)) return "precommits for different values";
      if (!Digest.from(v.vote().getStateRoot()).equals(root)) return "a precommit names another root";
      if (memberSet.contains(v.signer())) signers.add(v.signer());
    }
    int f = (memberSet.size() - 1) / 3;
    if (signers.size() < f + 1) return "precommits of " + signers.size() + " members, but " + (f + 1) + " (f + 1 of " + memberSet.size() + ") are needed";
    if (!Decision.seedOf(round, view, value, root).equals(cp.seed())) return "the checkpoint's seed is not the certified round's";
    return null;
  }
}
