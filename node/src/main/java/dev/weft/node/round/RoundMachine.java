package dev.weft.node.round;

import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.round.msg.pb.ContributionBody;
import dev.weft.node.round.msg.pb.Kind;
import dev.weft.node.round.msg.pb.SyncRequestBody;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One peer's side of the round protocol ("One training round", docs/round.md), as an I/O-free
 * state machine: it is told what happened ({@link #on}) with the local monotonic time, and answers
 * what to do ({@link RoundAction}s, in order). It never touches a socket, a thread or a clock, so
 * the simulator runs hundreds of them on virtual time.
 *
 * <pre>
 *   start(r) ─▶ Train, timers ─▶ contributions + blobs arrive ─▶ CUTOFF ─▶ {@link ConsensusRound}
 *      ─▶ decided (own quorum, or a certificate received) ─▶ Persist ─▶ [fetch + Compute] ─▶ Apply | Repair
 *      ─▶ start(r+1) with the certified root and seed
 *   behind (messages of later rounds) ─▶ SyncRequest ─▶ certificate ─▶ decided ─▶ … (catch-up)
 *   a second, different valid certificate or precommit quorum for a round ─▶ Alarm, halted for good
 * </pre>
 *
 * <p>Not thread-safe: the host calls it from one serial executor.
 */
public final class RoundMachine implements ConsensusContext {
  /** Certified history kept per round: what verifying its certificates and fork detection need. */
  private record Past(RoundSetup setup, Membership membership, Decision decision) {}

  private final RoundConfig config;
  private final RoundSigner signer;
  private final RoundCodec codec;
  private final ProposalRules rules;
  private final CutoffEstimator cutoff;
  private final BlobTracker blobs = new BlobTracker();
  private final TreeMap<PeerKey, Signed> evidence = new TreeMap<>();
  private final TreeMap<Long, Past> past = new TreeMap<>();
  private final List<RoundEvent.Received> buffered = new ArrayList<>();
  private final Set<String> certSentTo = new HashSet<>();
  /** Persisted certificates of rounds not yet applied when the host restarted: replayed as rounds start. */
  private final TreeMap<Long, Signed> restoredCertificates = new TreeMap<>();
  private Membership membership;
  private RoundSetup setup;
  private ContributionPool pool;
  private ConsensusRound consensus;
  private ConsensusRound previous;
  private Decision pendingApply;
  private boolean computingForApply;
  private long highestSeenRound = -1;
  private PeerKey highestSeenFrom;
  private int syncAttempt;
  /** Whether this round sent a certificate request ({@link #sync} without contributors). */
  private boolean askedThisRound;
  /** The peer whose certificate, asked for, decided the last round (null: decided otherwise). */
  private PeerKey chainFrom;
  private String halted;
  private long rejected;
  private List<RoundAction> out = new ArrayList<>();
  private long now;
  private final long firstRound;
  private final Digest firstRoot;
  private final Digest firstSeed;

  /**
   * @param membership the finalized membership at {@code firstRound}
   * @param seed the leader seed of {@code firstRound} (the previous decision's, or the run's genesis)
   * @param baseRoot the certified state root {@code firstRound} starts from
   */
  public RoundMachine(RoundConfig config, RoundSigner signer, RoundCodec codec, Membership membership, long firstRound, Digest baseRoot, Digest seed) {
    this.config = config;
    this.signer = signer;
    this.codec = codec;
    this.rules = new ProposalRules(config, codec);
    this.cutoff = new CutoffEstimator(config.cutoff());
    this.membership = membership;
    this.firstRound = firstRound;
    this.firstRoot = baseRoot;
    this.firstSeed = seed;
  }

  /**
   * A machine for a peer restarting from what its host persisted: every certificate it was asked
   * to {@link RoundAction.Persist} (from {@code firstRound} on, one per round, as decoded by the
   * codec) and the state it last applied. The certificates are verified again, in order, from the
   * same arguments the first machine was built with; they rebuild the membership (bans included),
   * the leader seeds and the certified history (for sync requests and fork detection).
   * Certificates after {@code appliedRound} — persisted but not applied when the host stopped
   * (Persist comes first) — are replayed like a catch-up: fetch, compute, apply. {@link #start}
   * then begins the round after the last one applied. Timers, fetches and the cut-off history are
   * not restored: the host starts afresh, and the cut-off learns again from its initial value.
   *
   * @param appliedRound the round of the host's current state ({@code firstRound - 1}: none yet)
   * @param appliedRoot that state's root: must equal the certified one
   * @param undecodable whether a held blob (named by CID) does not decode: the host's record of
   *     {@link RoundEvent.BlobHeld#invalidReason}, for the malformed-blob bans of replayed rounds
   * @throws RoundMessageException if a persisted certificate does not verify (a damaged store)
   * @throws IllegalArgumentException if the certificates are not contiguous, end before
   *     {@code appliedRound}, or {@code appliedRoot} is not the certified root
   */
  public static RoundMachine restore(RoundConfig config, RoundSigner signer, RoundCodec codec, Membership membership, long firstRound,
      Digest baseRoot, Digest seed, List<Signed> certificates, long appliedRound, Digest appliedRoot,
      java.util.function.Predicate<Digest> undecodable) throws RoundMessageException {
    long applied = appliedRound - firstRound + 1;
    if (applied < 0 || applied > certificates.size()) throw new IllegalArgumentException("applied round " + appliedRound + " outside the certificates");
    ProposalRules rules = new ProposalRules(config, codec);
    CertifiedHistory.Replayed done = CertifiedHistory.replay(rules, config, membership, firstRound, baseRoot, seed,
        certificates.subList(0, (int) applied), undecodable);
    if (!done.baseRoot().equals(appliedRoot)) {
      throw new IllegalArgumentException("applied state root " + appliedRoot + " is not the certified " + done.baseRoot() + " of round " + appliedRound);
    }
    RoundMachine m = new RoundMachine(config, signer, codec, done.membership(), done.nextRound(), done.baseRoot(), done.seed());
    for (CertifiedHistory.Round r : done.rounds()) {
      if (r.setup().round() >= done.nextRound() - config.retentionRounds()) m.past.put(r.setup().round(), new Past(r.setup(), r.membership(), r.decision()));
    }
    for (Signed c : certificates.subList((int) applied, certificates.size())) m.restoredCertificates.put(c.round(), c);
    return m;
  }

  /** Starts the first round. */
  public List<RoundAction> start(long nowMillis) {
    now = nowMillis;
    out = new ArrayList<>();
    startRound(firstRound, firstRoot, firstSeed);
    return out;
  }

  public List<RoundAction> on(RoundEvent event, long nowMillis) {
    now = nowMillis;
    out = new ArrayList<>();
    if (halted != null || setup == null) return out;
    switch (event) {
      case RoundEvent.Received r -> received(r);
      case RoundEvent.BlobHeld b -> blobHeld(b);
      case RoundEvent.FetchFailed f -> blobs.failed(f.cid());
      case RoundEvent.TimerFired t -> timer(t.id());
      case RoundEvent.TrainingFinished t -> trained(t);
      case RoundEvent.RootComputed c -> rootComputed(c);
    }
    return out;
  }

  // ---- what the host and the simulator's checker may read ----------------------------------

  public long currentRound() {
    return setup.round();
  }

  public RoundSetup setup() {
    return setup;
  }

  public Membership membership() {
    return membership;
  }

  public boolean halted() {
    return halted != null;
  }

  public String haltReason() {
    return halted;
  }

  /** The decision this peer holds for {@code round} (null if none or no longer retained). */
  public Decision decision(long round) {
    Past p = past.get(round);
    return p == null ? null : p.decision();
  }

  /** The setup of a decided round still retained (null otherwise). */
  public RoundSetup decisionSetup(long round) {
    Past p = past.get(round);
    return p == null ? null : p.setup();
  }

  /** A value the current round checked (proposed to us, or decided), by its hash; null if none. */
  public CheckedValue value(Digest valueHash) {
    return consensus.value(valueHash);
  }

  public PeerKey key() {
    return signer.key();
  }

  /** Messages rejected by the codec or the rules so far. */
  public long rejectedMessages() {
    return rejected;
  }

  public long cutoffMillis() {
    return cutoff.cutoffMillis();
  }

  // ---- events ------------------------------------------------------------------------------

  private void received(RoundEvent.Received r) {
    Signed m;
    try {
      m = codec.decode(r.frame());
    } catch (RoundMessageException e) {
      misbehaved(r.from(), e.getMessage());
      return;
    }
    long round = setup.round();
    if (m.round() < round) {
      handlePast(r.from(), m);
    } else if (m.round() > round) {
      handleFuture(r, m);
    } else {
      handleCurrent(r.from(), m);
    }
  }

  private void handleCurrent(PeerKey from, Signed m) {
    switch (m.kind()) {
      case CONTRIBUTION -> contribution(from, m);
      case REPORT -> consensus.onReport(from, m);
      case PROPOSAL -> consensus.onProposal(from, m);
      case PREVOTE, PRECOMMIT -> consensus.onVote(from, m);
      case SEAL_CERTIFICATE, NULL_ROUND -> certificate(from, m);
      case EVIDENCE -> evidence(m);
      case SYNC_REQUEST -> syncRequest(from, m);
      default -> misbehaved(from, "unexpected " + m.kind());
    }
  }

  private void handlePast(PeerKey from, Signed m) {
    Past p = past.get(m.round());
    if (p == null) return;
    switch (m.kind()) {
      case SYNC_REQUEST -> sendCertificate(from, p.decision());
      case SEAL_CERTIFICATE, NULL_ROUND -> {
        if (sameAsDecided(m, p.decision())) return;
        try {
          Decision other = rules.checkCertificate(m, p.setup(), p.membership());
          if (!other.agrees(p.decision())) alarm("a second valid certificate for round " + m.round() + ": " + other.value().hash() + " vs " + p.decision().value().hash());
        } catch (RoundMessageException e) {
          misbehaved(from, "invalid certificate: " + e.getMessage());
        }
      }
      case PRECOMMIT -> {
        if (previous != null && m.round() == previous.decision().round()) previous.onVote(from, m);
      }
      case EVIDENCE -> evidence(m);
      case REPORT -> {
        // A report for a round we finished means its sender's cut-off came after our decision, or
        // it repeats its report on a view change: it is stuck there, and our certificate frees it.
        // (Late votes are no such sign: they are what a quorum leaves in flight.)
        if (p.setup().voters().contains(m.signer())) sendCertificate(from, p.decision());
      }
      default -> {
        // nothing to do with old messages
      }
    }
  }

  /** A certificate for exactly our decision (same value and root) needs no second verification. */
  private static boolean sameAsDecided(Signed m, Decision d) {
    if (m.kind() == Kind.SEAL_CERTIFICATE) {
      var b = m.certificate();
      return b.getStateRoot().equals(d.root().toByteString()) && b.getValue().equals(d.value().value());
    }
    var b = m.nullRound();
    return b.getStateRoot().equals(d.root().toByteString()) && b.getValue().equals(d.value().value());
  }

  private void handleFuture(RoundEvent.Received r, Signed m) {
    if (m.round() > highestSeenRound) {
      highestSeenRound = m.round();
      highestSeenFrom = r.from();
    }
    if (m.round() == setup.round() + 1 && buffered.size() < config.maxBufferedFuture()) buffered.add(r);
    if (m.round() >= setup.round() + 2 && pendingApply == null && syncAttempt == 0) {
      syncAttempt = 1;
      sync(r.from(), List.of());
    }
  }

  private void contribution(PeerKey from, Signed c) {
    String why = pool.rejection(c);
    if (why != null) {
      // Not necessarily malice (a peer that must repair builds on the wrong state); never stored.
      rejected++;
      return;
    }
    Slot s = pool.add(c);
    if (s == Slot.CONFLICT) {
      conflict(pool.lastConflict(), c);
      return;
    }
    if (s != Slot.NEW) return;
    Digest cid = Digest.from(c.contribution().getCid());
    if (blobs.held(cid)) {
      pool.arrived(setup.contributorIndex(c.signer()), now - setup.anchorMillis(), config.fullTokens());
      earlyCutoff();
    } else if (setup.voters().contains(signer.key())) {
      List<PeerKey> sources = new ArrayList<>(List.of(c.signer()));
      if (!from.equals(c.signer())) sources.add(from);
      RoundAction.Fetch f = blobs.fetch(setup.round(), cid, sources);
      if (f != null) out.add(f);
    }
    consensus.onContribution();
  }

  private void certificate(PeerKey from, Signed m) {
    if (pendingApply != null || consensus.decision() != null) return;
    try {
      Decision d = rules.checkCertificate(m, setup, membership);
      // A certificate we asked for: we are catching up, and the next round may be certified too.
      chainFrom = askedThisRound ? from : null;
      decided(d);
    } catch (RoundMessageException e) {
      misbehaved(from, "invalid certificate: " + e.getMessage());
    }
  }

  private void evidence(Signed ev) {
    PeerKey who = EvidenceRules.offender(ev, rules::open);
    if (who == null || !membership.isMember(who) || membership.isBanned(who)) return;
    evidence.putIfAbsent(who, ev);
  }

  private void syncRequest(PeerKey from, Signed m) {
    SyncRequestBody b = m.syncRequest();
    if (b.getContributorsCount() == 0 && b.getIdsCount() == 0 && b.getReportersCount() == 0 && b.getValueHash().isEmpty()) {
      Past p = past.get(m.round());
      if (p != null) sendCertificate(from, p.decision());
    }
    if (!b.getValueHash().isEmpty()) {
      Signed ids = consensus.idsFormOf(Digest.from(b.getValueHash()));
      if (ids != null) out.add(new RoundAction.Send(List.of(from), ids));
    }
    for (int vi : b.getReportersList()) {
      Signed r = consensus.reportOf(vi);
      if (r != null) out.add(new RoundAction.Send(List.of(from), r));
    }
    for (var id : b.getIdsList()) {
      Digest d = Digest.from(id);
      Signed s = consensus.reportById(d);
      if (s == null) s = pool.byId(d);
      if (s != null) out.add(new RoundAction.Send(List.of(from), s));
    }
    for (int i : b.getContributorsList()) {
      Signed c = pool.of(i);
      if (c != null) out.add(new RoundAction.Send(List.of(from), c));
    }
  }

  private void blobHeld(RoundEvent.BlobHeld b) {
    blobs.markHeld(b.cid(), setup.round(), b.invalidReason());
    int idx = pool.indexOf(b.cid());
    if (idx >= 0) pool.arrived(idx, now - setup.anchorMillis(), config.fullTokens());
    if (pendingApply != null) {
      prepareApply();
    } else {
      consensus.onBlob();
      if (idx >= 0) earlyCutoff();
    }
  }

  private void timer(TimerId id) {
    if (id.round() != setup.round()) return;
    switch (id.kind()) {
      case CUTOFF -> consensus.onCutoff();
      case VIEW -> consensus.onViewTimeout(id.view());
      case SYNC -> {
        if (id.view() != syncAttempt) return;
        if (pendingApply != null) {
          prepareApply();
        } else if (consensus.decision() == null) {
          PeerKey to = highestSeenRound > setup.round() ? highestSeenFrom : syncTarget();
          if (to != null) sync(to, List.of());
        }
        syncAttempt++;
        out.add(new RoundAction.StartTimer(new TimerId(TimerId.Kind.SYNC, setup.round(), syncAttempt), config.viewTimeoutMillis(syncAttempt)));
      }
    }
  }

  private PeerKey syncTarget() {
    List<PeerKey> vs = setup.voters().list();
    for (int k = 0; k < vs.size(); k++) {
      PeerKey p = vs.get((int) ((syncAttempt + k + setup.round()) % vs.size()));
      if (!p.equals(signer.key())) return p;
    }
    return null;
  }

  private void trained(RoundEvent.TrainingFinished t) {
    if (t.round() != setup.round() || !t.baseRoot().equals(setup.baseRoot()) || setup.contributorIndex(signer.key()) < 0) return;
    ContributionBody body = ContributionBody.newBuilder().setRun(config.run()).setRound(t.round()).setBaseRoot(t.baseRoot().toByteString())
        .setCid(t.cid().toByteString()).setSize(t.size()).setNorm(t.norm()).setTokens(t.tokens()).build();
    Signed c = codec.sign(Kind.CONTRIBUTION, body, signer);
    if (pool.add(c) != Slot.NEW) return;
    blobs.markHeld(t.cid(), t.round(), null);
    pool.arrived(setup.contributorIndex(signer.key()), now - setup.anchorMillis(), config.fullTokens());
    List<PeerKey> to = new ArrayList<>(setup.voters().list());
    to.remove(signer.key());
    if (!to.isEmpty()) out.add(new RoundAction.Send(to, c));
    consensus.onContribution();
    earlyCutoff();
  }

  /**
   * Once every contributor's blob is here there is nothing left to wait for: the cut-off comes
   * early. Without this a round never ends before the cut-off, which starts at the spec's initial
   * value (a minute, say) until enough arrivals were measured to estimate it.
   */
  private void earlyCutoff() {
    if (halted == null && pendingApply == null && pool.arrivedCount() == setup.contributors().size()) consensus.onCutoff();
  }

  private void rootComputed(RoundEvent.RootComputed c) {
    if (c.round() != setup.round()) return;
    if (pendingApply != null) {
      if (pendingApply.value().hash().equals(c.valueHash())) finish(pendingApply, c.root());
      return;
    }
    consensus.onRootComputed(c.valueHash(), c.root());
  }

  // ---- decisions ---------------------------------------------------------------------------

  @Override
  public void decided(Decision d) {
    if (pendingApply != null || consensus.decision() != null) return;
    consensus.markDecided(d);
    past.put(d.round(), new Past(setup, membership, d));
    out.add(new RoundAction.Persist(d.round(), d.certificate()));
    distribute(d);
    Digest mine = consensus.rootFor(d.value().hash());
    if (mine != null) {
      finish(d, mine);
    } else {
      pendingApply = d;
      computingForApply = false;
      prepareApply();
    }
  }

  /** The first f+1 voters after the leader send the certificate to non-voters: at least one is honest. */
  private void distribute(Decision d) {
    VoterSet vs = setup.voters();
    int mine = vs.indexOf(signer.key());
    if (mine < 0) return;
    int rank = Math.floorMod(mine - vs.leaderIndex(setup.seed(), setup.round(), d.view()), vs.n());
    if (rank > vs.f()) return;
    List<PeerKey> to = new ArrayList<>();
    for (PeerKey p : setup.contributors()) if (!vs.contains(p)) to.add(p);
    if (!to.isEmpty()) out.add(new RoundAction.Send(to, d.certificate()));
  }

  private void prepareApply() {
    Decision d = pendingApply;
    if (computingForApply) return;
    if (!d.value().isNull() && !consensus.fetchMissing(d.value())) return;
    computingForApply = true;
    out.add(new RoundAction.Compute(d.round(), d.value().hash(), d.value().applied()));
  }

  private void finish(Decision d, Digest mine) {
    if (mine.equals(d.root())) out.add(new RoundAction.Apply(d.round(), d.value().hash(), d.root()));
    else out.add(new RoundAction.Repair(d.round(), d.root(), d.precommitters()));
    cutoff.record(pool.arrivalOffsets());
    membership = membership.withBans(bans(d));
    for (PeerKey k : d.value().offenders()) evidence.remove(k);
    previous = consensus;
    pendingApply = null;
    long next = d.round() + 1;
    while (!past.isEmpty() && past.firstKey() < next - config.retentionRounds()) past.pollFirstEntry();
    blobs.prune(next - config.retentionRounds());
    certSentTo.clear();
    startRound(next, d.root(), d.seed());
  }

  /**
   * Who {@code d} bans from the next round on: the offenders of its sealed evidence, and every
   * contributor whose sealed blob does not decode. The second is as certified as the first: the
   * value names the blob by CID, every peer holds every sealed blob before it applies (it fetched
   * them to compute the root), and decoding is a pure function of the bytes — the same one the
   * apply step uses, so the certified root already depends on it.
   */
  private List<PeerKey> bans(Decision d) {
    return CertifiedHistory.bans(d, config.banMalformedBlobs(), cid -> blobs.invalidReason(cid) != null);
  }

  private void startRound(long round, Digest baseRoot, Digest seed) {
    setup = new RoundSetup(round, baseRoot, seed, membership.voters(round), membership.contributors(), now);
    pool = new ContributionPool(setup);
    consensus = new ConsensusRound(setup, this, setup.voters().indexOf(signer.key()));
    syncAttempt = 0;
    askedThisRound = false;
    long cut = cutoff.cutoffMillis();
    Signed restored = restoredCertificates.remove(round);
    if (restored == null && setup.contributorIndex(signer.key()) >= 0) out.add(new RoundAction.Train(round, baseRoot, Math.max(1, cut * 4 / 5)));
    if (setup.voters().contains(signer.key())) {
      out.add(new RoundAction.StartTimer(new TimerId(TimerId.Kind.CUTOFF, round, 0), cut));
      out.add(new RoundAction.StartTimer(new TimerId(TimerId.Kind.VIEW, round, 0), cut + config.viewTimeoutMillis(0)));
    }
    out.add(new RoundAction.StartTimer(new TimerId(TimerId.Kind.SYNC, round, 0), cut + 2 * config.viewTimeoutMillis(0)));
    if (restored != null) {
      // Decided before the restart: no training, straight to fetch, compute and apply.
      certificate(signer.key(), restored);
      return;
    }
    if (highestSeenRound > round + 1) {
      syncAttempt = 1;
      sync(highestSeenFrom, List.of());
    } else if (chainFrom != null) {
      // The last round came from a peer's certificate we asked for: ask the same peer for this
      // one at once. Peers that finished the run send nothing new, so without this a node behind
      // learnt one round per sync timer (a cut-off plus two view timeouts) and could be left short
      // of the end when they exit. One message per round while catching up; a peer not ahead
      // has no certificate for the round and answers nothing.
      PeerKey p = chainFrom;
      chainFrom = null;
      sync(p, List.of());
    }
    List<RoundEvent.Received> replay = new ArrayList<>(buffered);
    buffered.clear();
    for (RoundEvent.Received r : replay) {
      if (halted != null) return;
      received(r);
    }
  }

  private void sendCertificate(PeerKey to, Decision d) {
    if (d == null || !certSentTo.add(to.hex() + "/" + d.round())) return;
    out.add(new RoundAction.Send(List.of(to), d.certificate()));
  }

  // ---- ConsensusContext --------------------------------------------------------------------

  @Override
  public RoundConfig config() {
    return config;
  }

  @Override
  public RoundSigner signer() {
    return signer;
  }

  @Override
  public RoundCodec codec() {
    return codec;
  }

  @Override
  public ProposalRules rules() {
    return rules;
  }

  @Override
  public BlobTracker blobs() {
    return blobs;
  }

  @Override
  public ContributionPool pool() {
    return pool;
  }

  @Override
  public List<RoundAction> out() {
    return out;
  }

  @Override
  public void conflict(Signed first, Signed second) {
    Signed ev = codec.sign(Kind.EVIDENCE, EvidenceRules.conflict(config.run(), first, second), signer);
    evidence(ev);
    List<PeerKey> to = new ArrayList<>(setup.voters().list());
    to.remove(signer.key());
    if (!to.isEmpty()) out.add(new RoundAction.Send(to, ev));
  }

  @Override
  public List<Signed> pendingEvidence() {
    List<Signed> list = new ArrayList<>();
    for (Map.Entry<PeerKey, Signed> e : evidence.entrySet()) {
      if (membership.isMember(e.getKey()) && !membership.isBanned(e.getKey())) list.add(e.getValue());
    }
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list.size() > config.limits().maxEvidence() ? list.subList(0, config.limits().maxEvidence()) : list;
  }

  @Override
  public void sync(PeerKey peer, List<Integer> contributors) {
    if (contributors.isEmpty()) askedThisRound = true;
    if (peer == null || peer.equals(signer.key())) return;
    SyncRequestBody b = SyncRequestBody.newBuilder().setRun(config.run()).setRound(setup.round()).addAllContributors(contributors).build();
    out.add(new RoundAction.Send(List.of(peer), codec.sign(Kind.SYNC_REQUEST, b, signer)));
  }

  @Override
  public void syncIds(PeerKey peer, List<Digest> ids) {
    if (peer == null || peer.equals(signer.key()) || ids.isEmpty()) return;
    SyncRequestBody.Builder b = SyncRequestBody.newBuilder().setRun(config.run()).setRound(setup.round());
    for (Digest d : ids) b.addIds(d.toByteString());
    out.add(new RoundAction.Send(List.of(peer), codec.sign(Kind.SYNC_REQUEST, b.build(), signer)));
  }

  @Override
  public void request(PeerKey peer, SyncRequestBody.Builder b) {
    if (peer == null || peer.equals(signer.key())) return;
    out.add(new RoundAction.Send(List.of(peer), codec.sign(Kind.SYNC_REQUEST, b.setRun(config.run()).setRound(setup.round()).build(), signer)));
  }

  @Override
  public void alarm(String reason) {
    if (halted != null) return;
    halted = reason;
    out.add(new RoundAction.Alarm(setup.round(), reason));
  }

  @Override
  public void misbehaved(PeerKey peer, String reason) {
    rejected++;
    out.add(new RoundAction.Misbehaved(peer, reason));
  }
}
