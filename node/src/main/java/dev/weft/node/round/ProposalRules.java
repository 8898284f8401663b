package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ValueRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The validity rules for values, proposals and certificates, applied identically by every voter.
 * A value is valid for a round when it holds exactly Q reports by distinct voters (in voter
 * order), exactly the contributions the inclusion rule selects from them (signed by those
 * contributors, built on the round's base root, in contributor order), and only evidence that
 * convicts a member not yet banned (in id order, one per offender). Stateless.
 */
final class ProposalRules {
  /** A checked proposal: its value and its proof of lock (-1 and null root when none). */
  record CheckedProposal(CheckedValue value, int polView, Digest polRoot) {}

  private final RoundConfig config;
  private final RoundCodec codec;

  ProposalRules(RoundConfig config, RoundCodec codec) {
    this.config = config;
    this.codec = codec;
  }

  Signed open(Envelope e) {
    try {
      return codec.openChecked(e);
    } catch (RoundMessageException ex) {
      return null;
    }
  }

  CheckedValue checkValue(ProposalValue v, RoundSetup s, Membership m) throws RoundMessageException {
    VoterSet voters = s.voters();
    if (v.getReportsCount() != voters.quorum()) throw bad("value needs exactly " + voters.quorum() + " reports, has " + v.getReportsCount());
    List<Signed> reports = new ArrayList<>();
    List<byte[]> bitmaps = new ArrayList<>();
    int lastVoter = -1;
    for (Envelope e : v.getReportsList()) {
      Signed r = openOrThrow(e);
      int vi = voters.indexOf(r.signer());
      if (vi < 0) throw bad("report by a non-voter");
      if (vi <= lastVoter) throw bad("reports must be by distinct voters in voter order");
      if (r.report().getBitmap().size() > s.bitmapBytes()) throw bad("report bitmap longer than the contributor list");
      lastVoter = vi;
      reports.add(r);
      bitmaps.add(r.report().getBitmap().toByteArray());
    }
    List<Integer> indices = InclusionRule.select(bitmaps, s.contributors().size(), voters.f() + 1);
    if (v.getContributionsCount() != indices.size()) {
      throw bad("value must seal the " + indices.size() + " contributions its reports select, has " + v.getContributionsCount());
    }
    List<Signed> contributions = new ArrayList<>();
    for (int k = 0; k < indices.size(); k++) {
      Signed c = openOrThrow(v.getContributions(k));
      if (!c.signer().equals(s.contributors().get(indices.get(k)))) throw bad("contribution " + k + " is not by the selected contributor");
      ContributionBody b = c.contribution();
      if (!Digest.from(b.getBaseRoot()).equals(s.baseRoot())) throw bad("contribution built on another state");
      contributions.add(c);
    }
    List<Signed> evidence = new ArrayList<>();
    List<PeerKey> offenders = new ArrayList<>();
    Set<PeerKey> seen = new HashSet<>();
    Digest lastId = null;
    for (Envelope e : v.getEvidenceList()) {
      Signed ev = openOrThrow(e);
      PeerKey who = EvidenceRules.offender(ev, this::open);
      if (who == null) throw bad("evidence that proves nothing");
      if (!m.isMember(who) || m.isBanned(who)) throw bad("evidence against a non-member or banned peer");
      if (!seen.add(who)) throw bad("two pieces of evidence against one peer");
      if (lastId != null && lastId.compareTo(ev.id()) >= 0) throw bad("evidence must be in id order");
      lastId = ev.id();
      evidence.add(ev);
      offenders.add(who);
    }
    Digest hash = CheckedValue.hashOf(reports, contributions, evidence);
    return new CheckedValue(hash, v, reports, contributions, indices, evidence, offenders, contributions.size() < config.minInputs());
  }

  /** The voter indices a value reference names (ascending): exactly Q of the round's voters. */
  List<Integer> checkRef(ValueRef ref, RoundSetup s) throws RoundMessageException {
    VoterSet voters = s.voters();
    byte[] bitmap = ref.getReporters().toByteArray();
    if (bitmap.length > (voters.n() + 7) / 8) throw bad("reporter bitmap longer than the voter list");
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < bitmap.length * 8; i++) {
      if (!InclusionRule.bit(bitmap, i)) continue;
      if (i >= voters.n()) throw bad("reporter bitmap names voter " + i + " of " + voters.n());
      out.add(i);
    }
    if (out.size() != voters.quorum()) throw bad("value reference needs exactly " + voters.quorum() + " reporters, has " + out.size());
    return out;
  }

  /** Checks proposal {@code p} whose value (sent whole, or filled in from its ids) is {@code value}. */
  CheckedProposal checkProposal(Signed p, ProposalValue value, RoundSetup s, Membership m) throws RoundMessageException {
    var body = p.proposal();
    if (body.getRound() != s.round()) throw bad("proposal for another round");
    if (!p.signer().equals(s.leader(body.getView()))) throw bad("proposal by " + p.signer() + ", not the view's leader");
    CheckedValue v = checkValue(value, s, m);
    if (body.getPolView() < 0) return new CheckedProposal(v, -1, null);
    Digest root = quorumRoot(body.getPolPrevotesList(), Kind.PREVOTE, s, body.getPolView(), v.hash());
    return new CheckedProposal(v, body.getPolView(), root);
  }

  Decision checkCertificate(Signed c, RoundSetup s, Membership m) throws RoundMessageException {
    CertificateFields f = CertificateFields.of(c);
    if (f == null) throw bad("not a certificate");
    long round = f.round();
    int view = f.view();
    ProposalValue value = f.value();
    Digest root = f.root();
    List<Envelope> precommits = f.precommits();
    if (round != s.round()) throw bad("certificate for another round");
    CheckedValue v = checkValue(value, s, m);
    if (v.isNull() != (c.kind() == Kind.NULL_ROUND)) throw bad("null values travel as NULL_ROUND, others as SEAL_CERTIFICATE");
    Digest r = quorumRoot(precommits, Kind.PRECOMMIT, s, view, v.hash());
    if (!r.equals(root)) throw bad("certificate root differs from its precommits");
    List<PeerKey> signers = new ArrayList<>();
    for (Envelope e : precommits) signers.add(new PeerKey(e.getSigner().toByteArray()));
    return new Decision(round, view, v, root, signers, c);
  }

  /** Checks that {@code votes} are a quorum of distinct voters for one (view, value, root); returns the root. */
  private Digest quorumRoot(List<Envelope> votes, Kind kind, RoundSetup s, int view, Digest value) throws RoundMessageException {
    VoterSet voters = s.voters();
    Set<PeerKey> distinct = new HashSet<>();
    Digest root = null;
    for (Envelope e : votes) {
      Signed vote = openOrThrow(e);
      if (vote.kind() != kind || vote.round() != s.round() || vote.view() != view) throw bad("proof vote of another kind, round or view");
      if (!voters.contains(vote.signer())) throw bad("proof vote by a non-voter");
      if (!Digest.from(vote.vote().getValueHash()).equals(value)) throw bad("proof vote for another value");
      Digest r = Digest.from(vote.vote().getStateRoot());
      if (root == null) root = r;
      else if (!root.equals(r)) throw bad("proof votes disagree on the root");
      distinct.add(vote.signer());
    }
    if (distinct.size() < voters.quorum()) throw bad("proof has " + distinct.size() + " distinct voters, needs " + voters.quorum());
    return root;
  }

  /** Every value, proposal and certificate here came through the codec: its nested envelopes are checked. */
  private Signed openOrThrow(Envelope e) throws RoundMessageException {
    return codec.openChecked(e);
  }

  private static RoundMessageException bad(String why) {
    return new RoundMessageException(why);
  }
}
