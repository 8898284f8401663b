package dev.weft.node.round.sim;

import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.MalformedUpdateException;
import dev.weft.node.round.CutoffEstimator.CutoffConfig;
import dev.weft.node.round.Membership;
import dev.weft.node.round.RoundAction;
import dev.weft.node.round.RoundConfig;
import dev.weft.node.round.RoundEvent;
import dev.weft.node.round.RoundMachine;
import dev.weft.node.round.TimerId;
import dev.weft.node.round.apply.Applied;
import dev.weft.node.round.apply.ModelState;
import dev.weft.node.round.apply.RoundApplier;
import dev.weft.node.round.apply.SealedInput;
import dev.weft.node.round.msg.Digest;
import dev.weft.node.round.msg.PeerKey;
import dev.weft.node.round.msg.RoundCodec;
import dev.weft.node.round.msg.RoundLimits;
import dev.weft.node.round.msg.RoundMessageException;
import dev.weft.node.round.msg.RoundSigner;
import dev.weft.node.round.msg.Signed;
import dev.weft.node.train.diloco.OuterConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of the round protocol: every peer runs the real {@link RoundMachine},
 * codec, aggregation rule (centred clipping) and int8 blob codec; the network, compute times and
 * faults are drawn from one seeded random source, and time is virtual. The same scenario and seed
 * give the same run, event for event. After every event the {@link InvariantChecker} runs; the
 * first violation stops the run.
 *
 * <p>Training is a quadratic stand-in: a peer's pseudo-gradient is η·s·(θ − θ* + noise) for s inner
 * steps, so the loss ½‖θ − θ*‖² shows whether rounds make progress.
 */
public final class Simulation {
  private record Ev(long time, long seq, Runnable run) {}

  private final Scenario sc;
  private final SplittableRandom rnd;
  private final PriorityQueue<Ev> queue = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final List<SimPeer> peers = new ArrayList<>();
  private final Map<PeerKey, SimPeer> byKey = new HashMap<>();
  private final Map<Digest, byte[]> blobs = new HashMap<>();
  private final Map<String, Long> cutoffAt = new HashMap<>();
  private final SimSignatures sigs;
  private final RoundCodec codec;
  private final RoundApplier applier;
  private final Codec blobCodec = Codecs.parse("int8");
  private final InvariantChecker checker;
  private final SimStats stats = new SimStats();
  private final float[] optimum;
  private final List<RoundConfig> configs = new ArrayList<>();
  private final Membership genesisMembership;
  private final Digest genesisRoot;
  private final Digest genesisSeed;
  private int[] partition;
  private long now;
  private long seq;

  public Simulation(Scenario sc) {
    this.sc = sc;
    this.rnd = new SplittableRandom(sc.seed);
    this.sigs = new SimSignatures(sc.signatureChecks);
    RoundConfig config = new RoundConfig("sim-run", RoundLimits.defaults(), sc.minInputs, sc.baseViewTimeoutMillis, sc.maxViewTimeoutMillis,
        new CutoffConfig(sc.cutoffInitialMillis, 500, 120_000, 3, 8, 8, 0.15), 64, 100_000, 1000, sc.malformedBans);
    this.codec = new RoundCodec(config.run(), config.limits(), sigs.verifier());
    this.applier = new RoundApplier(Aggregators.defaultRule(), OuterConfig.diloco(), sc.minInputs);
    this.optimum = new float[sc.dimension];
    for (int i = 0; i < optimum.length; i++) optimum[i] = (float) (rnd.nextDouble() * 2 - 1);
    List<RoundSigner> signers = new ArrayList<>();
    List<Membership.Member> members = new ArrayList<>();
    for (int i = 0; i < sc.peers(); i++) {
      RoundSigner s = sigs.newSigner(rnd.split());
      signers.add(s);
      // Voters joined long ago; contributors joined "never" for tenure's sake, so they never vote here.
      members.add(new Membership.Member(s.key(), i < sc.voters ? -1_000 : Long.MAX_VALUE / 4, false));
    }
    Membership membership = new Membership(members, 1);
    ModelState genesis = ModelState.initial(new float[sc.dimension]);
    Digest seed = Digest.of(("genesis-" + sc.seed).getBytes());
    // Skews from their own source, so a run with and without skew draws the same everything else.
    SplittableRandom skews = new SplittableRandom(sc.seed ^ 0x5eed5eedL);
    for (int i = 0; i < sc.peers(); i++) {
      RoundConfig own = !sc.withoutMalformedBans.contains(i) ? config : new RoundConfig(config.run(), config.limits(), config.minInputs(),
          config.baseViewTimeoutMillis(), config.maxViewTimeoutMillis(), config.cutoff(), config.retentionRounds(), config.maxBufferedFuture(),
          config.fullTokens(), false);
      configs.add(own);
      RoundMachine m = new RoundMachine(own, signers.get(i), codec, membership, 0, genesis.root(), seed);
      long skew = skews.nextLong(-sc.clockSkewMillis, sc.clockSkewMillis + 1);
      Behaviour b = sc.behaviours.getOrDefault(i, Behaviour.HONEST);
      SimPeer p = new SimPeer(i, signers.get(i), m, b, skew, rnd.split(), i < sc.voters, genesis);
      p.oneUlp = sc.oneUlp.contains(i);
      p.archive.put(-1L, genesis);
      peers.add(p);
      byKey.put(p.key(), p);
    }
    this.genesisMembership = membership;
    this.genesisRoot = genesis.root();
    this.genesisSeed = seed;
    this.checker = new InvariantChecker(this);
    for (Scenario.TimedHook h : sc.hooks) schedule(h.atMillis(), () -> h.action().accept(this));
  }

  // ---- running -------------------------------------------------------------------------------

  /** Runs until every live honest peer reached the scenario's round, the time limit, or a violation. */
  public SimResult run() {
    for (SimPeer p : peers) execute(p, p.machine.start(local(p)));
    while (!queue.isEmpty()) {
      Ev e = queue.poll();
      if (e.time > sc.maxVirtualMillis) break;
      now = e.time;
      e.run.run();
      stats.events++;
      if (checker.violation() != null) break;
      if ((stats.events & 63) == 0 && done()) break;
    }
    return new SimResult(sc, this, checker.violation());
  }

  private boolean done() {
    for (SimPeer p : peers) {
      // A run that finishes waits for an offline peer too: it is expected back, to catch up.
      boolean counts = p.live() || (sc.finishAfter > 0 && !p.crashed);
      if (p.honest() && counts && p.alarm == null && p.machine.currentRound() < sc.rounds) return false;
    }
    return true;
  }

  void schedule(long at, Runnable r) {
    queue.add(new Ev(Math.max(at, now), seq++, r));
  }

  private long local(SimPeer p) {
    return now + p.clockOffsetMillis;
  }

  private void deliver(SimPeer p, RoundEvent e) {
    if (p.crashed) return;
    execute(p, p.machine.on(e, local(p)));
    checker.afterEvent(p);
  }

  // ---- actions --------------------------------------------------------------------------------

  void execute(SimPeer p, List<RoundAction> actions) {
    for (RoundAction raw : actions) {
      // A process that crashed halfway through its actions does none of the rest.
      if (p.crashed) return;
      for (RoundAction a : p.behaviour.outgoing(p, raw, this)) act(p, a);
    }
  }

  /** {@code r}, run only if {@code p} has not restarted since: a restart loses timers, fetches and computations in flight. */
  private Runnable sameProcess(SimPeer p, Runnable r) {
    int epoch = p.epoch;
    return () -> {
      if (p.epoch == epoch) r.run();
    };
  }

  private void act(SimPeer p, RoundAction a) {
    switch (a) {
      case RoundAction.Send s -> send(p, s.to(), s.message());
      case RoundAction.Fetch f -> fetch(p, f);
      case RoundAction.StartTimer t -> {
        if (t.id().kind() == TimerId.Kind.CUTOFF) schedule(now + t.delayMillis(), () -> cutoffAt.put(p.index + "/" + t.id().round(), now));
        schedule(now + t.delayMillis(), sameProcess(p, () -> {
          // A peer past the run's last round starts nothing more but still answers (as NodeRuntime does).
          if (sc.finishAfter > 0 && p.machine.currentRound() >= sc.finishAfter) return;
          deliver(p, new RoundEvent.TimerFired(t.id()));
        }));
      }
      case RoundAction.Train t -> train(p, t);
      case RoundAction.Compute c -> whenRepaired(p, () -> compute(p, c));
      case RoundAction.Persist per -> {
        p.persisted.put(per.round(), codec.encode(per.certificate()));
        Long cut = cutoffAt.remove(p.index + "/" + per.round());
        if (cut != null && p.honest()) stats.cutoffToDecision.add(now - cut);
        if (sc.crashAfterPersist != null && sc.crashAfterPersist.peer() == p.index && sc.crashAfterPersist.round() == per.round() && p.restarts == 0) {
          crash(p);
          long downFor = sc.crashAfterPersist.downMillis();
          schedule(now + downFor, () -> restart(p.index));
        }
      }
      case RoundAction.Apply ap -> {
        ModelState next = p.candidates.get(ap.round() + "/" + ap.valueHash().hex());
        if (next == null || !next.root().equals(ap.root())) throw new IllegalStateException(p + " applies a state it did not compute");
        commit(p, ap.round(), next);
      }
      case RoundAction.Repair r -> {
        p.repairing = true;
        p.repairs++;
        repair(p, r, 0);
      }
      case RoundAction.Misbehaved m -> stats.misbehaved++;
      case RoundAction.Alarm al -> p.alarm = al.reason();
    }
  }

  public void send(SimPeer from, List<PeerKey> to, Signed m) {
    for (var h : sc.sendHooks) h.accept(this, new Scenario.SendEvent(from, m));
    if (from.crashed) return;
    byte[] frame = codec.encode(m);
    if (from.honest()) checker.onSend(from, m);
    for (PeerKey k : to) {
      SimPeer dst = byKey.get(k);
      if (dst == null) continue;
      stats.sent(m.kind(), frame.length);
      transmit(from, dst, frame.length, () -> receive(dst, from, frame));
    }
  }

  /** Queues {@code bytes} on the sender's uplink, then delivers after latency, unless lost or cut off. */
  private void transmit(SimPeer from, SimPeer dst, long bytes, Runnable onArrival) {
    if (!from.live()) return;
    // Kept in microseconds: in whole milliseconds a 200-byte vote at 12.5 MB/s rounded to no time
    // at all, and a voter's 255 votes left its uplink free.
    long tx = bytes * 1_000_000 / sc.net.bandwidthBytesPerSec();
    from.uplinkFreeAtMicros = Math.max(from.uplinkFreeAtMicros, now * 1000) + tx;
    long sentAt = from.uplinkFreeAtMicros / 1000;
    if (rnd.nextDouble() < sc.net.loss()) {
      stats.dropped++;
      return;
    }
    int copies = rnd.nextDouble() < sc.net.duplicate() ? 2 : 1;
    for (int c = 0; c < copies; c++) {
      long at = sentAt + sc.net.latencyMillis() + (sc.net.jitterMillis() == 0 ? 0 : rnd.nextLong(sc.net.jitterMillis() + 1));
      schedule(at, () -> {
        if (!dst.live() || !connected(from, dst)) {
          stats.dropped++;
          return;
        }
        onArrival.run();
      });
    }
  }

  private void receive(SimPeer dst, SimPeer from, byte[] frame) {
    if (!dst.honest()) {
      try {
        if (!dst.behaviour.incoming(dst, from.key(), codec.decode(frame), this)) return;
      } catch (RoundMessageException e) {
        // the machine will reject it too
      }
    }
    deliver(dst, new RoundEvent.Received(from.key(), frame));
  }

  /** Every fetch is answered: BlobHeld, or FetchFailed when no source delivers (or we are cut off meanwhile). */
  private void fetch(SimPeer p, RoundAction.Fetch f) {
    long delay = 0;
    if (!p.live()) {
      schedule(now + 200, sameProcess(p, () -> deliver(p, new RoundEvent.FetchFailed(f.cid()))));
      return;
    }
    for (PeerKey k : f.sources()) {
      SimPeer s = byKey.get(k);
      // An unreachable or unwilling source costs a request timeout before the next is tried.
      if (s == null || !s.live() || !connected(s, p) || !s.held.contains(f.cid()) || !s.behaviour.serves(s, f.cid(), p)) {
        delay += 200;
        continue;
      }
      byte[] blob = blobs.get(f.cid());
      stats.blobBytes += blob.length;
      long at = now + delay + 2 * sc.net.latencyMillis() + blob.length * 1000L / sc.net.bandwidthBytesPerSec();
      schedule(at, sameProcess(p, () -> {
        if (!p.live() || !connected(s, p)) {
          deliver(p, new RoundEvent.FetchFailed(f.cid()));
          return;
        }
        p.held.add(f.cid());
        deliver(p, new RoundEvent.BlobHeld(f.cid(), invalidReason(blob)));
      }));
      return;
    }
    schedule(now + Math.max(delay, 200), sameProcess(p, () -> deliver(p, new RoundEvent.FetchFailed(f.cid()))));
  }

  private String invalidReason(byte[] blob) {
    try {
      blobCodec.decode(blob, sc.dimension);
      return null;
    } catch (MalformedUpdateException e) {
      return e.getMessage();
    }
  }

  private void train(SimPeer p, RoundAction.Train t) {
    if (sc.churn > 0 && p.rnd.nextDouble() < sc.churn) return;
    double full = sc.paretoAlpha > 0 ? sc.computeMillis / Math.pow(1 - p.rnd.nextDouble(), 1 / sc.paretoAlpha) : sc.computeMillis;
    // A straggler trains fewer inner steps to meet its budget; its tokens (weight) shrink with them.
    double frac = Math.min(1, t.budgetMillis() / full);
    long took = (long) Math.min(full, t.budgetMillis());
    schedule(now + took, sameProcess(p, () -> {
      if (p.crashed || p.repairing || !p.state.root().equals(t.baseRoot())) return;
      float[] delta = pseudoGradient(p, frac);
      byte[] blob = blobCodec.encode(delta);
      Digest cid = storeBlob(blob);
      p.held.add(cid);
      double norm = 0;
      for (float v : delta) norm += (double) v * v;
      long tokens = Math.max(1, Math.round(1000 * frac));
      deliver(p, new RoundEvent.TrainingFinished(t.round(), t.baseRoot(), cid, blob.length, Math.sqrt(norm), tokens));
    }));
  }

  public Digest storeBlob(byte[] blob) {
    Digest cid = Digest.of(blob);
    if (blobs.putIfAbsent(cid, blob) == null) stats.contributionBlobBytes += blob.length;
    return cid;
  }

  public float[] pseudoGradient(SimPeer p, double frac) {
    float[] theta = p.state.theta();
    float[] d = new float[theta.length];
    double step = 0.3 * frac;
    for (int i = 0; i < d.length; i++) d[i] = (float) (step * (theta[i] - optimum[i] + 0.05 * (p.rnd.nextDouble() * 2 - 1)));
    return d;
  }

  /** Re-applies the round {@code p} certified, from its archived base state: what fate reports need. */
  public Applied reapply(SimPeer p, long round) {
    var d = p.machine.decision(round);
    ModelState base = p.archive.get(round - 1);
    if (d == null || base == null) throw new IllegalArgumentException(p + " no longer holds round " + round);
    return applier.apply(base, inputs(p, d.value().applied()));
  }

  private List<SealedInput> inputs(SimPeer p, List<Signed> contributions) {
    List<SealedInput> inputs = new ArrayList<>();
    for (Signed s : contributions) {
      Digest cid = Digest.from(s.contribution().getCid());
      byte[] blob = p.held.contains(cid) ? blobs.get(cid) : null;
      try {
        if (blob == null) throw new MalformedUpdateException("blob not held");
        inputs.add(SealedInput.ok(s.signer(), blobCodec.decode(blob, sc.dimension), s.contribution().getTokens()));
      } catch (MalformedUpdateException e) {
        inputs.add(SealedInput.malformed(s.signer(), e.getMessage()));
      }
    }
    return inputs;
  }

  private void compute(SimPeer p, RoundAction.Compute c) {
    Applied applied = applier.apply(p.state, inputs(p, c.contributions()));
    ModelState next = p.oneUlp ? applied.state().withOneUlpError() : applied.state();
    p.candidates.put(c.round() + "/" + c.valueHash().hex(), next);
    Digest root = next.root();
    schedule(now + 1, sameProcess(p, () -> deliver(p, new RoundEvent.RootComputed(c.round(), c.valueHash(), root))));
  }

  private void whenRepaired(SimPeer p, Runnable r) {
    if (p.repairing) p.afterRepair.add(r);
    else r.run();
  }

  private void repair(SimPeer p, RoundAction.Repair r, int attempt) {
    for (SimPeer s : peers) {
      ModelState st = s.archive.get(r.round());
      if (s != p && s.live() && connected(s, p) && st != null && st.root().equals(r.certifiedRoot())) {
        long bytes = 8L * sc.dimension + 64;
        schedule(now + 2 * sc.net.latencyMillis() + bytes * 1000 / sc.net.bandwidthBytesPerSec(), sameProcess(p, () -> {
          if (p.crashed) return;
          commit(p, r.round(), st);
          p.repairing = false;
          List<Runnable> queued = new ArrayList<>(p.afterRepair);
          p.afterRepair.clear();
          queued.forEach(Runnable::run);
        }));
        return;
      }
    }
    schedule(now + 500, sameProcess(p, () -> repair(p, r, attempt + 1)));
  }

  private void commit(SimPeer p, long round, ModelState next) {
    checker.onApply(p, round, next);
    p.state = next;
    p.appliedRound = round;
    p.archive.put(round, next);
    while (p.archive.size() > 80) p.archive.pollFirstEntry();
    p.candidates.keySet().removeIf(k -> Long.parseLong(k.substring(0, k.indexOf('/'))) <= round);
  }

  // ---- faults, for scenarios ---------------------------------------------------------------

  private RoundMachine restoredMachine(SimPeer p) {
    try {
      return restore(p, persisted(p), p.appliedRound, p.state.root());
    } catch (RoundMessageException e) {
      throw new IllegalStateException(p + " cannot read its own disk: " + e.getMessage(), e);
    }
  }

  /** The certificates on {@code p}'s disk, decoded, in round order. */
  List<Signed> persisted(SimPeer p) throws RoundMessageException {
    List<Signed> certificates = new ArrayList<>();
    for (byte[] frame : p.persisted.values()) certificates.add(codec.decode(frame));
    return certificates;
  }

  /** {@link RoundMachine#restore} for {@code p} with the run's genesis and the given disk contents. */
  RoundMachine restore(SimPeer p, List<Signed> certificates, long appliedRound, Digest appliedRoot) throws RoundMessageException {
    return RoundMachine.restore(configs.get(p.index), p.signer, codec, genesisMembership, 0, genesisRoot, genesisSeed, certificates,
        appliedRound, appliedRoot, cid -> p.held.contains(cid) && invalidReason(blobs.get(cid)) != null);
  }

  /** The last applied state and the run's genesis membership, certificates ignored: bans are lost. */
  private RoundMachine naiveMachine(SimPeer p) {
    var last = p.machine.decision(p.appliedRound);
    return new RoundMachine(configs.get(p.index), p.signer, codec, genesisMembership, p.appliedRound + 1, p.state.root(),
        last == null ? genesisSeed : last.seed());
  }

  /** Splits the peers: group[i] is peer i's side; peers talk only within a side. */
  public void partition(int[] group) {
    partition = group.clone();
  }

  public void heal() {
    partition = null;
  }

  public boolean connected(SimPeer a, SimPeer b) {
    return partition == null || partition[a.index] == partition[b.index];
  }

  private final java.util.Map<String, Long> marks = new java.util.HashMap<>();

  /** Records the virtual time of a scenario's named moment (for tests that time what follows). */
  public void mark(String name) {
    marks.putIfAbsent(name, now);
  }

  /** The virtual time {@link #mark} recorded, or null. */
  public Long markedAt(String name) {
    return marks.get(name);
  }

  public void setOnline(int peer, boolean on) {
    peers.get(peer).online = on;
  }

  public void crash(SimPeer p) {
    p.crashed = true;
  }

  /**
   * Restarts crashed peer {@code i} from its disk: a new machine from the certificates it persisted
   * and the state it last applied ({@link RoundMachine#restore}); its blobs survive, timers,
   * fetches and computations in flight do not.
   */
  public void restart(int i) {
    SimPeer p = peers.get(i);
    RoundMachine m = sc.naiveRestart ? naiveMachine(p) : restoredMachine(p);
    p.epoch++;
    p.restarts++;
    p.unappliedAtRestart = (int) (p.persisted.isEmpty() ? 0 : p.persisted.lastKey() - p.appliedRound);
    p.machine = m;
    p.crashed = false;
    p.candidates.clear();
    p.repairing = false;
    p.afterRepair.clear();
    checker.onRestart(p);
    execute(p, m.start(local(p)));
    checker.afterEvent(p);
  }

  public long now() {
    return now;
  }

  public List<SimPeer> peers() {
    return peers;
  }

  public SimPeer peer(PeerKey k) {
    return byKey.get(k);
  }

  public RoundCodec codec() {
    return codec;
  }

  public SimStats stats() {
    return stats;
  }

  public Scenario scenario() {
    return sc;
  }

  public InvariantChecker checker() {
    return checker;
  }

  public byte[] blob(Digest cid) {
    return blobs.get(cid);
  }

  public Codec blobCodec() {
    return blobCodec;
  }

  /** ½‖θ − θ*‖² of a state: the stand-in's training loss. */
  public double loss(ModelState s) {
    double l = 0;
    for (int i = 0; i < optimum.length; i++) {
      double e = s.theta()[i] - optimum[i];
      l += e * e;
    }
    return l / 2;
  }
}
