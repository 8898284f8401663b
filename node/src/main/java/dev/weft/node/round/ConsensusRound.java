package dev.weft.node.round;

import dev.weft.node.round.ProposalRules.CheckedProposal;
import dev.weft.node.round.VoteBook.Choice;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.Envelope;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.NullRoundBody;
import dev.weft.node.round.msg.pb.ProposalBody;
import dev.weft.node.round.msg.pb.ProposalValue;
import dev.weft.node.round.msg.pb.ReportBody;
import dev.weft.node.round.msg.pb.SealCertificateBody;
import dev.weft.node.round.msg.pb.SyncRequestBody;
import dev.weft.node.round.msg.pb.VoteBody;
import dev.weft.node.round.msg.pb.ValueIds;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agreement of one round among its voters: reports, proposals, prevotes, precommits, views.
 *
 * <pre>
 *  cut-off ──report──▶ (leader: Q reports) ──proposal──▶ hold blobs ─▶ compute root ─▶ PREVOTE(value, root)
 *     Q prevotes for (value, my root) ─▶ lock, PRECOMMIT ─▶ Q precommits ─▶ certificate ─▶ decided
 *  view timeout (base·2^v) or f+1 voters seen in a later view ─▶ next view, next leader
 * </pre>
 *
 * Tendermint's rules decide which value may be prevoted ({@link Locks}); a voter prevotes only
 * holding every blob of the value, and its prevote names the root it computed, so a certificate
 * certifies the resulting state too. Two prevote quorum-halves (f+1 each) for one value with
 * different roots mean honest peers compute different states: that halts with an alarm.
 */
final class ConsensusRound {
  private final RoundSetup setup;
  private final ConsensusContext ctx;
  private final int me;
  private final ReportBook reports = new ReportBook();
  private final VoteBook votes = new VoteBook();
  private final Locks locks = new Locks();
  private final Map<Integer, CheckedProposal> proposals = new HashMap<>();
  private final Map<Digest, CheckedValue> values = new HashMap<>();
  private final Map<Digest, Digest> roots = new HashMap<>();
  private final Set<Digest> computing = new HashSet<>();
  private final Set<Integer> prevoted = new HashSet<>();
  private final Set<Integer> precommitted = new HashSet<>();
  private final Set<Integer> proposed = new HashSet<>();
  private final Set<Digest> syncAsked = new HashSet<>();
  private Signed ownReport;
  private Decision decision;
  private int view;

  ConsensusRound(RoundSetup setup, ConsensusContext ctx, int myVoterIndex) {
    this.setup = setup;
    this.ctx = ctx;
    this.me = myVoterIndex;
  }

  int view() {
    return view;
  }

  Signed ownReport() {
    return ownReport;
  }

  Decision decision() {
    return decision;
  }

  Digest rootFor(Digest value) {
    return roots.get(value);
  }

  Signed reportById(Digest id) {
    return reports.byId(id);
  }

  /** Reports received so far, in voter order. */
  List<Signed> reports() {
    return reports.all();
  }

  void markDecided(Decision d) {
    decision = d;
    values.putIfAbsent(d.value().hash(), d.value());
  }

  // ---- events ------------------------------------------------------------------------------

  void onCutoff() {
    if (me < 0 || ownReport != null) return;
    byte[] bitmap = ctx.pool().bitmap(ctx.blobs());
    ReportBody body = ReportBody.newBuilder().setRun(ctx.config().run()).setRound(setup.round()).setBitmap(ByteString.copyFrom(bitmap)).build();
    ownReport = ctx.codec().sign(Kind.REPORT, body, ctx.signer());
    reports.add(me, ownReport);
    sendVoters(ownReport);
    tryPropose();
  }

  void onReport(PeerKey from, Signed r) {
    int vi = setup.voters().indexOf(r.signer());
    if (vi < 0) {
      ctx.misbehaved(from, "report by a non-voter");
      return;
    }
    if (r.report().getBitmap().size() > setup.bitmapBytes()) {
      ctx.misbehaved(from, "report bitmap longer than the contributor list");
      return;
    }
    Slot s = reports.add(vi, r);
    if (s == Slot.CONFLICT) ctx.conflict(reports.lastConflict(), r);
    if (s == Slot.NEW) tryPropose();
    if (s != Slot.DUPLICATE) retryUnresolved();
  }

  void onProposal(PeerKey from, Signed p) {
    int pv = p.view();
    if (decision != null) return;
    ProposalBody body = p.proposal();
    ProposalValue value;
    if (body.hasValue()) {
      value = body.getValue();
    } else if (body.hasIds()) {
      value = fill(body.getIds());
      if (value == null) {
        // Named by ids we do not all hold yet: ask the sender, and look again as messages arrive.
        park(from, p);
        requestMissing(from, body.getIds());
        return;
      }
    } else {
      List<Integer> reporters;
      try {
        reporters = ctx.rules().checkRef(body.getRef(), setup);
      } catch (RoundMessageException e) {
        ctx.misbehaved(from, "invalid proposal: " + e.getMessage());
        return;
      }
      Filled f = fillRef(reporters, body.getRef().getEvidenceList());
      if (f.value() == null) {
        park(from, p);
        requestMissing(from, f);
        return;
      }
      value = f.value();
    }
    CheckedProposal cp;
    try {
      cp = ctx.rules().checkProposal(p, value, setup, ctx.membership());
    } catch (RoundMessageException e) {
      ctx.misbehaved(from, "invalid proposal: " + e.getMessage());
      return;
    }
    if (body.hasRef() && !cp.value().hash().equals(Digest.from(body.getRef().getValueHash()))) {
      // Our books hold another report or contribution of some equivocator than the leader's: the
      // reference names a value we cannot fill. Its ids say which messages it means.
      Digest want = Digest.from(body.getRef().getValueHash());
      if (idsAsked.add(want)) ctx.request(from, SyncRequestBody.newBuilder().setValueHash(want.toByteString()));
      return;
    }
    CheckedProposal old = proposals.putIfAbsent(pv, cp);
    if (old != null && !old.value().hash().equals(cp.value().hash())) {
      // The leader proposed two values in one view; only the first counts here.
      return;
    }
    values.putIfAbsent(cp.value().hash(), cp.value());
    if (p.signer().equals(ctx.signer().key())) ownProposals.putIfAbsent(cp.value().hash(), p);
    votes.noteView(p.signer(), pv);
    if (pv == view) maybePrevote();
    if (pv > view) maybeSkip();
  }

  /** Proposals per round waiting for reports or contributions they name: a leader sends one per view. */
  private static final int MAX_UNRESOLVED = 64;

  private record Pending(PeerKey from, Signed proposal) {}

  /** A value reference filled from our books: the value, or what is still missing. */
  private record Filled(ProposalValue value, List<Integer> missingReporters, List<Integer> missingContributors) {}

  private final Map<Digest, Pending> unresolved = new java.util.LinkedHashMap<>();
  private final Set<Digest> requested = new HashSet<>();
  private final Set<Integer> requestedReporters = new HashSet<>();
  private final Set<Integer> requestedContributors = new HashSet<>();
  private final Set<Digest> idsAsked = new HashSet<>();
  /** Our own proposals by value hash, to answer a voter that asks for a value's ids. */
  private final Map<Digest, Signed> ownProposals = new HashMap<>();
  private final Map<Digest, Signed> ownIdsForms = new HashMap<>();

  private void park(PeerKey from, Signed p) {
    if (unresolved.size() < MAX_UNRESOLVED) unresolved.putIfAbsent(p.id(), new Pending(from, p));
  }

  /** The full value for {@code ids} from our own books, or null while something is missing. */
  private ProposalValue fill(ValueIds ids) {
    ProposalValue.Builder v = ProposalValue.newBuilder();
    for (ByteString id : ids.getReportIdsList()) {
      Signed r = reports.byId(Digest.from(id));
      if (r == null) return null;
      v.addReports(r.envelope());
    }
    for (ByteString id : ids.getContributionIdsList()) {
      Signed c = ctx.pool().byId(Digest.from(id));
      if (c == null) return null;
      v.addContributions(c.envelope());
    }
    return v.addAllEvidence(ids.getEvidenceList()).build();
  }

  /**
   * The value a reference names as our books see it: the first report of each named voter, and the
   * first contribution of each contributor the inclusion rule selects from them.
   */
  private Filled fillRef(List<Integer> reporters, List<Envelope> evidence) {
    ProposalValue.Builder v = ProposalValue.newBuilder();
    List<Integer> missing = new ArrayList<>();
    List<byte[]> bitmaps = new ArrayList<>();
    for (int vi : reporters) {
      Signed r = reports.of(vi);
      if (r == null) {
        missing.add(vi);
        continue;
      }
      v.addReports(r.envelope());
      bitmaps.add(r.report().getBitmap().toByteArray());
    }
    if (!missing.isEmpty()) return new Filled(null, missing, List.of());
    for (int i : InclusionRule.select(bitmaps, setup.contributors().size(), setup.voters().f() + 1)) {
      Signed c = ctx.pool().of(i);
      if (c == null) missing.add(i);
      else v.addContributions(c.envelope());
    }
    if (!missing.isEmpty()) return new Filled(null, List.of(), missing);
    return new Filled(v.addAllEvidence(evidence).build(), List.of(), List.of());
  }

  private Filled fillRef(Signed p) {
    try {
      return fillRef(ctx.rules().checkRef(p.proposal().getRef(), setup), p.proposal().getRef().getEvidenceList());
    } catch (RoundMessageException e) {
      throw new IllegalStateException("a parked reference was checked before", e);
    }
  }

  private void requestMissing(PeerKey from, ValueIds ids) {
    List<Digest> want = new ArrayList<>();
    for (ByteString id : ids.getReportIdsList()) {
      Digest d = Digest.from(id);
      if (reports.byId(d) == null && requested.add(d)) want.add(d);
    }
    for (ByteString id : ids.getContributionIdsList()) {
      Digest d = Digest.from(id);
      if (ctx.pool().byId(d) == null && requested.add(d)) want.add(d);
    }
    if (!want.isEmpty()) ctx.syncIds(from, want);
  }

  private void requestMissing(PeerKey from, Filled f) {
    List<Integer> reporters = new ArrayList<>();
    for (int vi : f.missingReporters()) if (requestedReporters.add(vi)) reporters.add(vi);
    if (!reporters.isEmpty()) ctx.request(from, SyncRequestBody.newBuilder().addAllReporters(reporters));
    List<Integer> contributors = new ArrayList<>();
    for (int i : f.missingContributors()) if (requestedContributors.add(i)) contributors.add(i);
    if (!contributors.isEmpty()) ctx.sync(from, contributors);
  }

  /** A report or contribution arrived: proposals waiting for it may now be complete. */
  private void retryUnresolved() {
    if (unresolved.isEmpty()) return;
    for (Pending pd : new ArrayList<>(unresolved.values())) {
      ProposalBody b = pd.proposal().proposal();
      boolean complete = b.hasIds() ? fill(b.getIds()) != null : fillRef(pd.proposal()).value() != null;
      if (complete) {
        unresolved.remove(pd.proposal().id());
        onProposal(pd.from(), pd.proposal());
      }
    }
  }

  /** Our proposal of {@code value} with its ids instead of its reference (null if we proposed no such value). */
  Signed idsFormOf(Digest value) {
    Signed p = ownProposals.get(value);
    CheckedValue cv = values.get(value);
    if (p == null || cv == null) return null;
    return ownIdsForms.computeIfAbsent(value, v -> p.proposal().hasRef()
        ? ctx.codec().sign(Kind.PROPOSAL, p.proposal().toBuilder().clearRef().setIds(ProposalIds.of(cv.value())).build(), ctx.signer())
        : p);
  }

  /** The report of voter {@code vi} we hold first (null if none). */
  Signed reportOf(int vi) {
    return reports.of(vi);
  }

  /** A value this round checked (proposed, or decided), or null. */
  CheckedValue value(Digest hash) {
    return values.get(hash);
  }

  void onVote(PeerKey from, Signed v) {
    int vi = setup.voters().indexOf(v.signer());
    if (vi < 0) {
      ctx.misbehaved(from, v.kind() + " by a non-voter");
      return;
    }
    Slot s = votes.add(vi, v);
    if (s == Slot.CONFLICT) ctx.conflict(votes.lastConflict(), v);
    if (s != Slot.NEW) return;
    int vv = v.view();
    if (v.kind() == Kind.PREVOTE) {
      checkDivergence(vv, Digest.from(v.vote().getValueHash()));
      noteValid(vv);
      maybePrecommit();
    } else {
      maybeDecide(vv);
    }
    // Only a message from a later view can make f+1 voters be ahead of us.
    if (vv > view) maybeSkip();
  }

  void onContribution() {
    tryPropose();
    retryUnresolved();
  }

  void onBlob() {
    maybePrevote();
  }

  void onRootComputed(Digest value, Digest root) {
    computing.remove(value);
    roots.put(value, root);
    maybePrevote();
    maybePrecommit();
    for (int v : votes.precommitViews()) maybeDecide(v);
  }

  void onViewTimeout(int v) {
    if (decision != null || v != view) return;
    enterView(view + 1);
  }

  // ---- rules ------------------------------------------------------------------------------

  private void enterView(int w) {
    view = w;
    ctx.out().add(new RoundAction.StartTimer(new TimerId(TimerId.Kind.VIEW, setup.round(), w), ctx.config().viewTimeoutMillis(w)));
    // Messages get lost: repeating our report lets the new leader gather Q of them.
    if (ownReport != null) sendVoters(ownReport);
    ctx.blobs().retryInFlight();
    // Requests for what a proposal names may have been lost too: the new view may ask again.
    requested.clear();
    requestedReporters.clear();
    requestedContributors.clear();
    tryPropose();
    maybePrevote();
    maybePrecommit();
  }

  private void maybeSkip() {
    if (decision != null || me < 0) return;
    int target = votes.skipTarget(view, setup.voters().f() + 1);
    if (target > view) enterView(target);
  }

  private void tryPropose() {
    if (me < 0 || decision != null || ownReport == null || proposed.contains(view)) return;
    if (!setup.leader(view).equals(ctx.signer().key())) return;
    ProposalBody.Builder body = ProposalBody.newBuilder().setRun(ctx.config().run()).setRound(setup.round()).setView(view).setPolView(-1);
    CheckedValue valid = locks.validValue();
    if (valid != null && locks.validView() < view) {
      body.setRef(ProposalIds.ref(valid.value(), setup.voters())).setPolView(locks.validView());
      for (Signed s : locks.validProof()) body.addPolPrevotes(s.envelope());
    } else {
      ProposalValue value = buildValue();
      if (value == null) return;
      body.setRef(ProposalIds.ref(value, setup.voters()));
    }
    proposed.add(view);
    Signed p = ctx.codec().sign(Kind.PROPOSAL, body.build(), ctx.signer());
    sendVoters(p);
    onProposal(ctx.signer().key(), p);
  }

  /** The leader's value from the first Q reports, or null while contributions are missing. */
  private ProposalValue buildValue() {
    int q = setup.voters().quorum();
    if (reports.size() < q) return null;
    List<Signed> chosen = reports.first(q);
    List<byte[]> bitmaps = new ArrayList<>();
    for (Signed r : chosen) bitmaps.add(r.report().getBitmap().toByteArray());
    List<Integer> indices = InclusionRule.select(bitmaps, setup.contributors().size(), setup.voters().f() + 1);
    ProposalValue.Builder v = ProposalValue.newBuilder();
    for (Signed r : chosen) v.addReports(r.envelope());
    List<Integer> missing = new ArrayList<>();
    for (int i : indices) {
      Signed c = ctx.pool().of(i);
      if (c == null) missing.add(i);
      else v.addContributions(c.envelope());
    }
    if (!missing.isEmpty()) {
      for (Signed r : chosen) if (!r.signer().equals(ctx.signer().key())) ctx.sync(r.signer(), missing);
      return null;
    }
    for (Signed e : ctx.pendingEvidence()) v.addEvidence(e.envelope());
    return v.build();
  }

  private void maybePrevote() {
    if (me < 0 || decision != null || prevoted.contains(view)) return;
    CheckedProposal cp = proposals.get(view);
    if (cp == null || !locks.mayPrevote(cp.value().hash(), cp.polView())) return;
    CheckedValue v = cp.value();
    if (!v.isNull() && !fetchMissing(v)) return;
    Digest root = roots.get(v.hash());
    if (root == null) {
      if (computing.add(v.hash())) ctx.out().add(new RoundAction.Compute(setup.round(), v.hash(), v.applied()));
      return;
    }
    prevoted.add(view);
    Signed pv = ctx.codec().sign(Kind.PREVOTE, vote(view, v.hash(), root), ctx.signer());
    sendVoters(pv);
    onVote(ctx.signer().key(), pv);
  }

  /** True when every blob of {@code v} is held; else asks for the missing ones. */
  boolean fetchMissing(CheckedValue v) {
    boolean all = true;
    for (int k = 0; k < v.contributions().size(); k++) {
      Signed c = v.contributions().get(k);
      Digest cid = Digest.from(c.contribution().getCid());
      if (ctx.blobs().held(cid)) continue;
      all = false;
      RoundAction.Fetch f = ctx.blobs().fetch(setup.round(), cid, sources(v, k));
      if (f != null) ctx.out().add(f);
    }
    return all;
  }

  /** Who can serve contribution k of {@code v}: its contributor, then the voters that reported it. */
  static List<PeerKey> sources(CheckedValue v, int k) {
    List<PeerKey> out = new ArrayList<>();
    out.add(v.contributions().get(k).signer());
    int idx = v.indices().get(k);
    for (Signed r : v.reports()) {
      if (InclusionRule.bit(r.report().getBitmap().toByteArray(), idx) && !out.contains(r.signer())) out.add(r.signer());
    }
    return out;
  }

  private void noteValid(int v) {
    int q = setup.voters().quorum();
    for (Map.Entry<Choice, List<Signed>> e : votes.tally(Kind.PREVOTE, v).entrySet()) {
      CheckedValue cv = values.get(e.getKey().value());
      if (e.getValue().size() >= q && cv != null) locks.noteValid(cv, e.getKey().root(), v, e.getValue().subList(0, q));
    }
  }

  private void maybePrecommit() {
    if (me < 0 || decision != null || precommitted.contains(view)) return;
    int q = setup.voters().quorum();
    CheckedProposal cp = proposals.get(view);
    if (cp == null) return;
    for (Map.Entry<Choice, List<Signed>> e : votes.tally(Kind.PREVOTE, view).entrySet()) {
      Choice c = e.getKey();
      if (e.getValue().size() < q || !c.value().equals(cp.value().hash())) continue;
      // A voter whose own root differs does not vouch for the quorum's; it will repair instead.
      if (!c.root().equals(roots.get(c.value()))) continue;
      locks.lock(c.value(), view);
      precommitted.add(view);
      Signed pc = ctx.codec().sign(Kind.PRECOMMIT, vote(view, c.value(), c.root()), ctx.signer());
      sendVoters(pc);
      onVote(ctx.signer().key(), pc);
      return;
    }
  }

  private void maybeDecide(int v) {
    int q = setup.voters().quorum();
    for (Map.Entry<Choice, List<Signed>> e : votes.tally(Kind.PRECOMMIT, v).entrySet()) {
      if (e.getValue().size() < q) continue;
      Choice c = e.getKey();
      if (decision != null) {
        if (!decision.value().hash().equals(c.value()) || !decision.root().equals(c.root())) {
          ctx.alarm("two precommit quorums in round " + setup.round() + ": " + decision.value().hash() + " and " + c.value());
        }
        return;
      }
      CheckedValue cv = values.get(c.value());
      if (cv == null) {
        // We never saw the proposal: whoever precommitted it can send the certificate.
        if (syncAsked.add(c.value())) ctx.sync(e.getValue().get(0).signer(), List.of());
        continue;
      }
      List<Signed> proof = e.getValue().subList(0, q);
      Signed cert = certificate(v, cv, c.root(), proof);
      List<PeerKey> signers = new ArrayList<>();
      for (Signed s : proof) signers.add(s.signer());
      ctx.decided(new Decision(setup.round(), v, cv, c.root(), signers, cert));
      return;
    }
  }

  private Signed certificate(int v, CheckedValue cv, Digest root, List<Signed> proof) {
    List<Envelope> envs = new ArrayList<>();
    for (Signed s : proof) envs.add(s.envelope());
    if (cv.isNull()) {
      NullRoundBody b = NullRoundBody.newBuilder().setRun(ctx.config().run()).setRound(setup.round()).setView(v)
          .setValue(cv.value()).setStateRoot(root.toByteString()).addAllPrecommits(envs).build();
      return ctx.codec().signTrusted(Kind.NULL_ROUND, b, ctx.signer(), setup.round());
    }
    SealCertificateBody b = SealCertificateBody.newBuilder().setRun(ctx.config().run()).setRound(setup.round()).setView(v)
        .setValue(cv.value()).setStateRoot(root.toByteString()).addAllPrecommits(envs).build();
    return ctx.codec().signTrusted(Kind.SEAL_CERTIFICATE, b, ctx.signer(), setup.round());
  }

  /** f+1 prevotes for one value with one root and f+1 with another: honest peers disagree on the state. */
  private void checkDivergence(int v, Digest value) {
    int need = setup.voters().f() + 1;
    int strong = 0;
    for (Map.Entry<Choice, List<Signed>> e : votes.tally(Kind.PREVOTE, v).entrySet()) {
      if (e.getKey().value().equals(value) && e.getValue().size() >= need) strong++;
    }
    if (strong >= 2) ctx.alarm("voters compute different states for one value in round " + setup.round() + " view " + v);
  }

  private VoteBody vote(int v, Digest value, Digest root) {
    return VoteBody.newBuilder().setRun(ctx.config().run()).setRound(setup.round()).setView(v)
        .setValueHash(value.toByteString()).setStateRoot(root.toByteString()).build();
  }

  private void sendVoters(Signed m) {
    List<PeerKey> to = new ArrayList<>(setup.voters().list());
    to.remove(ctx.signer().key());
    if (!to.isEmpty()) ctx.out().add(new RoundAction.Send(to, m));
  }
}
