package dev.weft.testnet;

import dev.weft.node.http.DashboardConfig;
import dev.weft.node.http.DashboardServer;
import dev.weft.node.http.NodeMetrics;
import dev.weft.node.http.NodeStatus;
import dev.weft.node.runtime.ContributionTransform;
import dev.weft.node.runtime.NodeRuntime;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.runtime.RunSpec;
import dev.weft.node.train.Batch;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.Trainer;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchTrainer;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one scenario: a coordinator publishes the run and leaves; N volunteers ({@link NodeRuntime})
 * in this JVM train over real loopback TCP; attackers, kills and joins happen as the scenario says;
 * every applied round is recorded. Training of all nodes shares one bounded pool (one thread), so
 * N nodes on 2 cores do not fight over them.
 *
 * <p>The orchestrator itself only reacts to what nodes report (rounds applied) and never reaches
 * into a node's state: a kill closes the node as a crash would (nothing more is written), and a
 * rejoin starts a new runtime on the same key and directory. {@code --churn} adds kills and
 * rejoins planned by {@link ChurnSchedule}; a {@code --partition} cuts the network in two with
 * every host's {@link Partition} gater for its seconds, then heals it and dials across.
 */
public final class Testnet {
  /** The node key of index {@code i} in a scenario with {@code seed}: reruns reuse identities. */
  public static PrivKey nodeKey(long seed, int i) {
    return Ed25519.fromSeedNumber(seed * 1_000 + i + 1);
  }

  private final TestnetConfig cfg;
  private final Consumer<String> say;
  private final Map<Integer, NodeRuntime> running = new ConcurrentHashMap<>();
  private final Map<Integer, DashboardServer> dashboards = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> bytes = new ConcurrentHashMap<>();
  private final Map<Integer, String> peerIds = new HashMap<>();
  private final Map<Integer, String> dashboardUrls = new HashMap<>();
  private final List<RoundRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<TestnetResult.Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
  private final LinkedBlockingQueue<RoundRecord> applied = new LinkedBlockingQueue<>();
  private final Map<String, float[]> thetaByRoundHash = new ConcurrentHashMap<>();
  private final Map<Long, Long> firstApplied = new ConcurrentHashMap<>();
  private final Map<Long, Long> lastApplied = new ConcurrentHashMap<>();
  private final Map<Long, Long> lastContributed = new ConcurrentHashMap<>();
  /**
   * Round r's training starts on every node once this completes, which {@link #trigger} does after
   * the kills and joins scheduled for r: rounds take under a second with a small model, so without
   * it "kill node-1 at round 2" would land whenever the orchestrator got round to it.
   */
  private final Map<Long, CompletableFuture<Void>> roundGates = new ConcurrentHashMap<>();
  /** Killed nodes still closing; a restart on the same directory waits for its close. */
  private final Map<Integer, CompletableFuture<Void>> closing = new ConcurrentHashMap<>();
  private Path root;
  private ShardedDataset data;
  private RunSpec spec;
  private ExecutorService trainPool;
  private String runId;
  private Coordinator coordinator;
  private ExecutorService liveEval;
  private Trainer liveTrainer;
  /** The explicit kills and joins with the churn schedule's merged in: what {@link #trigger} applies. */
  private final List<TestnetConfig.NodeAt> kills, joins;
  private final Partition partition = new Partition();
  private final List<TestnetResult.PartitionInfo> partitions = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Each node's last applied round (honest or not), for the partition's measures and catch-up events. */
  private final Map<Integer, Long> lastRound = new ConcurrentHashMap<>();
  /** The split in progress (null when whole); only the orchestrator thread touches it. */
  private Split split;
  /** Nodes left behind by a split, with the round they must reach to count as caught up, and since when. */
  private final Map<Integer, long[]> behind = new ConcurrentHashMap<>();
  /** Per kill, whether the node held its own contribution record of the round before (what a rejoin must still hold). */
  private final Map<TestnetConfig.NodeAt, Boolean> heldAtKill = new ConcurrentHashMap<>();

  private Testnet(TestnetConfig cfg, Consumer<String> say) {
    this.cfg = cfg;
    this.say = say;
    ChurnSchedule churn = ChurnSchedule.plan(scenario(cfg), cfg.churn(), cfg.seed());
    this.kills = churn.mergedKills(cfg.kills());
    this.joins = churn.mergedJoins(cfg.joins());
    if (cfg.churn() > 0) {
      say.accept("churn " + cfg.churn() + " (seed " + cfg.seed() + "): kills " + (churn.kills().isEmpty() ? "none" : churn.kills())
          + ", rejoins " + (churn.joins().isEmpty() ? "none" : churn.joins()));
    }
  }

  /** What {@link ChurnSchedule} plans around for {@code cfg}. */
  static ChurnSchedule.Scenario scenario(TestnetConfig cfg) {
    Set<Integer> byz = new HashSet<>();
    for (int i = 0; i < cfg.nodes(); i++) if (cfg.isByzantine(i)) byz.add(i);
    int minInputs = Math.max(1, dev.weft.aggregation.Aggregators.parse(cfg.aggregator()).minInputs());
    return new ChurnSchedule.Scenario(cfg.nodes(), cfg.rounds(), byz, cfg.kills(), cfg.joins(), minInputs);
  }

  /** The churn schedule {@code cfg} runs (its kills and rejoins only). */
  public static ChurnSchedule churnOf(TestnetConfig cfg) {
    return ChurnSchedule.plan(scenario(cfg), cfg.churn(), cfg.seed());
  }

  /** Runs the scenario, then (if asked) its clean twin, and returns both. */
  public static Outcome runWithClean(TestnetConfig cfg, Consumer<String> say) throws Exception {
    TestnetResult main = run(cfg, say);
    TestnetResult clean = null;
    if (cfg.cleanRun()) {
      say.accept("clean run: same seed, " + cfg.nodes() + " honest nodes, no kills or joins");
      clean = run(cfg.clean(), say);
    }
    return new Outcome(main, clean);
  }

  /** A scenario's result and its clean twin's (null when not run). */
  public record Outcome(TestnetResult result, TestnetResult clean) {}

  public static TestnetResult run(TestnetConfig cfg, Consumer<String> say) throws Exception {
    return new Testnet(cfg, say).execute();
  }

  private TestnetResult execute() throws Exception {
    long t0 = System.nanoTime();
    root = cfg.out() == null ? Files.createTempDirectory("weft-testnet") : cfg.out().resolve(cfg.isClean() ? "clean-state" : "state");
    deleteTree(root);
    Files.createDirectories(root);
    spec = RunSpec.small("testnet", cfg.model(), cfg.seed(), cfg.rounds()).withAggregator(cfg.aggregator())
        .withTiming(cfg.cutoffMillis(), Math.max(1_000, cfg.cutoffMillis() / 4))
        .withMembers(members());
    ModelSpec model = spec.modelSpec();
    data = ShardedDataset.split(SyntheticCorpus.defaultCorpus(), ShardedDataset.DEFAULT_SHARD_BYTES, model.context() + 1);
    trainPool = Executors.newFixedThreadPool(1, r -> {
      Thread t = new Thread(r, "weft-testnet-train");
      t.setDaemon(true);
      return t;
    });
    ExecutorService evaluator = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "weft-testnet-eval");
      t.setDaemon(true);
      return t;
    });
    String failure = null;
    boolean completed = false;
    List<String> stateChecks = new ArrayList<>();
    TestnetResult.FinalState finalState = new TestnetResult.FinalState(false, 0, -1, "", "final state: not checked (the run stopped early)");
    CompletableFuture<Void> gate = new CompletableFuture<>();
    try {
      coordinator = new Coordinator(Ed25519.fromSeedNumber(cfg.seed() * 1_000), spec);
      runId = coordinator.runId();
      say.accept("coordinator " + shortId(coordinator.peerId().toBase58()) + " published run " + runId + " (" + cfg.model() + ", "
          + spec.aggregator() + ", H=" + spec.innerSteps() + ")");
      for (int i = 0; i < cfg.nodes(); i++) startNode(i, List.of(coordinator.address()), gate);
      waitForMesh(cfg.nodes());
      coordinator.publish(); // now the record also sits on the volunteers closest to its key
      coordinator.close();
      say.accept("coordinator left; " + cfg.nodes() + " nodes connected" + (cfg.byzantine() > 0 ? ", " + cfg.byzantine() + " attacking with " + cfg.attack() : ""));
      events.add(new TestnetResult.Event(0, "coordinator", "leave", "published the run and left"));
      long start = System.currentTimeMillis();
      firstApplied.put(-1L, System.currentTimeMillis());
      gate.complete(null);
      long deadline = System.currentTimeMillis() + cfg.timeoutMillis();
      Set<Long> triggered = new HashSet<>();
      trigger(0, triggered);
      while (true) {
        if (split != null && System.currentTimeMillis() >= split.healAt) heal();
        if (allFinished()) {
          completed = true;
          break;
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          failure = "timed out after " + cfg.timeoutMillis() / 1000 + " s in round " + networkRound();
          break;
        }
        RoundRecord r = applied.poll(Math.min(left, split == null ? 500 : Math.max(1, Math.min(500, split.healAt - System.currentTimeMillis()))), TimeUnit.MILLISECONDS);
        if (r == null) continue;
        trigger(r.round() + 1, triggered);
      }
      stateChecks.addAll(checkRejoinedState());
      finalState = checkFinalState();
      say.accept(completed ? "all live nodes finished " + cfg.rounds() + " rounds in " + (System.currentTimeMillis() - start) / 1000 + " s" : failure);
    } finally {
      if (split != null) heal();
      for (long r = 0; r <= cfg.rounds(); r++) roundGate(r).complete(null); // no training may wait on a gate while nodes close
      for (Integer i : new ArrayList<>(running.keySet())) stop(i, "end");
      for (CompletableFuture<Void> c : closing.values()) c.join();
      if (coordinator != null) coordinator.close();
      trainPool.shutdownNow();
      synchronized (this) {
        if (liveEval != null) {
          liveEval.shutdown();
          liveEval.awaitTermination(30, TimeUnit.SECONDS);
          if (liveTrainer != null) liveTrainer.close();
        }
      }
    }
    TreeMap<Long, Double> loss = evaluate(evaluator, model);
    evaluator.shutdownNow();
    TreeMap<Long, Long> durations = new TreeMap<>(), overhead = new TreeMap<>();
    for (Map.Entry<Long, Long> e : lastApplied.entrySet()) {
      Long prev = firstApplied.get(e.getKey() - 1);
      if (prev != null) durations.put(e.getKey(), e.getValue() - prev);
      Long c = lastContributed.get(e.getKey());
      if (c != null) overhead.put(e.getKey(), Math.max(0, e.getValue() - c));
    }
    List<TestnetResult.NodeInfo> infos = new ArrayList<>();
    for (Map.Entry<Integer, String> e : new TreeMap<>(peerIds).entrySet()) {
      long[] b = bytes.getOrDefault(e.getKey(), new long[6]);
      infos.add(new TestnetResult.NodeInfo("node-" + e.getKey(), e.getValue(), cfg.isByzantine(e.getKey()), b[0], b[1], b[2], b[3], b[4], b[5], dashboardUrls.get(e.getKey())));
    }
    List<RoundRecord> all;
    synchronized (records) {
      all = new ArrayList<>(records);
    }
    all.sort(java.util.Comparator.comparing(RoundRecord::round).thenComparing(RoundRecord::node));
    List<TestnetResult.PartitionInfo> splits;
    synchronized (partitions) {
      splits = List.copyOf(partitions);
    }
    return new TestnetResult(cfg, spec, infos, all, List.copyOf(events), loss, durations, overhead, completed, failure, stateChecks,
        (System.nanoTime() - t0) / 1e9, splits, finalState);
  }

  // ------------------------------------------------------------------------- nodes

  /**
   * The run's members, fixed when it is published: the first {@code nodes} from round 0, and each
   * scheduled newcomer voting from the round it joins in (before, it would only be an absent voter).
   */
  private List<RunSpec.Member> members() {
    TreeMap<Integer, Long> from = new TreeMap<>();
    for (int i = 0; i < cfg.nodes(); i++) from.put(i, 0L);
    for (TestnetConfig.NodeAt j : joins) from.putIfAbsent(j.node(), (long) j.round());
    List<RunSpec.Member> out = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : from.entrySet()) out.add(new RunSpec.Member(PeerId.fromPublicKey(nodeKey(cfg.seed(), e.getKey()).publicKey()).toBase58(), e.getValue()));
    return out;
  }

  private void startNode(int i, List<Multiaddr> bootstrap, CompletableFuture<Void> gate) throws IOException {
    PrivKey key = nodeKey(cfg.seed(), i);
    String label = "node-" + i;
    PeerId self = PeerId.fromPublicKey(key.publicKey());
    peerIds.put(i, self.toBase58());
    partition.label(self, label);
    // A node (re)started while the network is split is cut off with the second side.
    if (split != null) {
      partition.place(self, 1);
      split.first.remove(Integer.valueOf(i));
      if (!split.second.contains(i)) split.second.add(i);
    }
    ContributionTransform t = ContributionTransform.HONEST;
    if (cfg.isByzantine(i)) {
      Set<PeerId> colluders = new HashSet<>();
      for (int j = 0; j < cfg.nodes(); j++) if (cfg.isByzantine(j)) colluders.add(PeerId.fromPublicKey(nodeKey(cfg.seed(), j).publicKey()));
      t = Attacks.parse(cfg.attack(), colluders, cfg.seed() + i);
    }
    NodeRuntime.Options o = NodeRuntime.Options.of(key, runId, null, root.resolve(label), bootstrap, trainPool, data, TorchTrainer::new, label)
        .withTransform(t).withListener(listener(i)).withStartGate(gate).withRoundGate(this::roundGate).withGater(partition.gaterFor(self));
    NodeRuntime n = NodeRuntime.start(o);
    running.put(i, n);
    if (cfg.dashboard()) {
      NodeStatus status = new NodeStatus(n.host(), n.training());
      NodeMetrics metrics = new NodeMetrics(status);
      metrics.gauge("weft_round_bytes_out", "Round-protocol bytes published", n, NodeRuntime::roundBytesOut);
      metrics.gauge("weft_round_bytes_in", "Round-protocol bytes received", n, NodeRuntime::roundBytesIn);
      DashboardServer d = DashboardServer.start(new DashboardConfig("127.0.0.1", 0, 1000), status, metrics);
      dashboards.put(i, d);
      dashboardUrls.put(i, d.url("127.0.0.1"));
      say.accept(label + " dashboard: " + d.url("127.0.0.1"));
    }
  }

  private CompletableFuture<Void> roundGate(long round) {
    return roundGates.computeIfAbsent(round, r -> new CompletableFuture<>());
  }

  private NodeRuntime.Listener listener(int i) {
    String label = "node-" + i;
    return new NodeRuntime.Listener() {
      @Override public void applied(NodeRuntime node, RoundRecord r, float[] theta) {
        records.add(r);
        long now = System.currentTimeMillis();
        lastRound.merge(i, r.round(), Math::max);
        long[] b = behind.get(i);
        if (b != null && r.round() >= b[0] && behind.remove(i) != null) {
          String d = "back with the others at round " + r.round() + ", " + (now - b[1]) / 1000 + " s after the heal (applied the certified rounds it missed, from round " + b[2] + ")";
          events.add(new TestnetResult.Event(r.round(), label, "catch-up", d));
          say.accept(label + " caught up: " + d);
        }
        if (!cfg.isByzantine(i)) {
          firstApplied.putIfAbsent(r.round(), now);
          lastApplied.merge(r.round(), now, Math::max);
          if (thetaByRoundHash.putIfAbsent(r.round() + ":" + r.thetaHash(), theta) == null && cfg.dashboard()) liveLoss(r.round(), theta);
        }
        if (r.contributed()) lastContributed.merge(r.round(), now - r.waitMillis() - r.applyMillis(), Math::max);
        applied.add(r);
      }

      @Override public void resynced(NodeRuntime node, long from, long to, String why) {
        events.add(new TestnetResult.Event(to, label, "catch-up", "from round " + from + " to " + to + " by checkpoint (" + why + ")"));
      }

      @Override public void status(NodeRuntime node, String line) {
        if (line.startsWith("your contribution") && !line.contains(" was included")) say.accept(label + ": " + line);
        if (line.startsWith("caught up")) say.accept(label + ": " + line);
      }
    };
  }

  private void trigger(long round, Set<Long> triggered) throws IOException {
    if (!triggered.add(round)) return;
    if (round > 0) say.accept("round " + (round - 1) + " applied" + lossHint(round - 1));
    for (TestnetConfig.NodeAt k : kills) {
      if (k.round() == round && running.containsKey(k.node())) {
        heldAtKill.put(k, holdsOwnRecord(running.get(k.node()), round - 1));
        stop(k.node(), "kill");
        events.add(new TestnetResult.Event(round, "node-" + k.node(), "kill", "stopped at the start of round " + round + " (as a crash: nothing more written)"));
        say.accept("killed node-" + k.node() + " in round " + round);
      }
    }
    for (TestnetConfig.PartitionAt p : cfg.partitions()) if (p.round() == round) split(p);
    for (TestnetConfig.NodeAt j : joins) {
      if (j.round() == round && !running.containsKey(j.node())) {
        List<Multiaddr> boot = new ArrayList<>();
        for (NodeRuntime n : running.values()) boot.add(n.addresses().get(0));
        boolean rejoin = peerIds.containsKey(j.node());
        CompletableFuture<Void> old = closing.remove(j.node());
        if (old != null) old.join();
        startNode(j.node(), boot, CompletableFuture.completedFuture(null));
        events.add(new TestnetResult.Event(round, "node-" + j.node(), rejoin ? "rejoin" : "join", rejoin ? "restarted from its directory" : "new volunteer"));
        say.accept((rejoin ? "restarted node-" : "new node-") + j.node() + " in round " + round);
      }
    }
    roundGate(round).complete(null);
  }

  // ------------------------------------------------------------------------- partitions

  /** A split in progress: its sides by node index, and what was measured when it began. */
  private static final class Split {
    final TestnetConfig.PartitionAt at;
    final long round;
    final List<Integer> first, second;
    final String prediction;
    final long startedAt, healAt;
    final Map<NodeRuntime, Long> refusedAtSplit = new java.util.IdentityHashMap<>();
    int closed, crossAfterSplit;

    Split(TestnetConfig.PartitionAt at, long round, List<Integer> first, List<Integer> second, String prediction, long startedAt) {
      this.at = at;
      this.round = round;
      this.first = new ArrayList<>(first);
      this.second = new ArrayList<>(second);
      this.prediction = prediction;
      this.startedAt = startedAt;
      this.healAt = startedAt + at.seconds() * 1000L;
    }
  }

  /**
   * Cuts the live nodes in two at the start of {@code p.round()}: the first ⌈L/2⌉ by index (or all
   * but the last {@code cut}) on one side, the rest on the other. Every gater refuses from now on;
   * each host closes what is open between the sides. A split still in progress heals first.
   */
  private void split(TestnetConfig.PartitionAt p) {
    if (split != null) heal();
    List<Integer> live = new ArrayList<>(new TreeMap<>(running).keySet());
    if (live.size() < 2) {
      events.add(new TestnetResult.Event(p.round(), "network", "partition", "skipped: " + live.size() + " live node, nothing to split"));
      return;
    }
    int b = p.secondSide(live.size());
    List<Integer> first = live.subList(0, live.size() - b), second = live.subList(live.size() - b, live.size());
    Map<PeerId, Integer> sides = new HashMap<>();
    for (int i : first) sides.put(running.get(i).peerId(), 0);
    for (int i : second) sides.put(running.get(i).peerId(), 1);
    String prediction = predict(p.round(), first, second);
    Split sp = new Split(p, p.round(), first, second, prediction, System.currentTimeMillis());
    for (NodeRuntime n : running.values()) sp.refusedAtSplit.put(n, refused(n));
    partition.split(sides);
    split = sp;
    for (NodeRuntime n : running.values()) sp.closed += n.host().regate();
    // Closing is asynchronous (Yamux GoAway, then the socket): wait until no connection joins the sides.
    long until = System.currentTimeMillis() + 5_000;
    while ((sp.crossAfterSplit = crossConnections()) > 0 && System.currentTimeMillis() < until) sleep(20);
    String detail = labels(first) + " | " + labels(second) + " for " + p.seconds() + " s; " + sp.closed + " connections closed, "
        + sp.crossAfterSplit + " left between the sides. Expected: " + prediction;
    events.add(new TestnetResult.Event(p.round(), "network", "partition", detail));
    say.accept("partition at round " + p.round() + ": " + detail);
  }

  /** Ends the split in progress: gaters allow again, and every node of one side dials every node of the other. */
  private void heal() {
    Split sp = split;
    split = null;
    lastSplit = sp;
    int crossBeforeHeal = crossConnections();
    long refused = 0;
    for (NodeRuntime n : running.values()) refused += refused(n) - sp.refusedAtSplit.getOrDefault(n, 0L);
    // Rounds from the split's own on: a node's report of the round before may land after the split began.
    long firstRounds = Math.max(0, maxRound(sp.first) - (sp.round - 1)), secondRounds = Math.max(0, maxRound(sp.second) - (sp.round - 1));
    partition.heal();
    // The nodes' own discovery would reconnect within seconds (a DHT lookup every few seconds); dialling
    // at once measures the protocol's recovery, not the discovery period.
    List<CompletableFuture<?>> dials = new ArrayList<>();
    for (int a : sp.first) {
      NodeRuntime x = running.get(a);
      if (x == null) continue;
      for (int b : sp.second) {
        NodeRuntime y = running.get(b);
        if (y != null && !y.addresses().isEmpty()) dials.add(x.host().dial(y.addresses().get(0)));
      }
    }
    int ok = 0;
    long until = System.currentTimeMillis() + 10_000;
    for (CompletableFuture<?> d : dials) {
      try {
        d.get(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        ok++;
      } catch (Exception e) {
        // counted as not redialled; discovery tries again
      }
    }
    long now = System.currentTimeMillis();
    double held = (now - sp.startedAt) / 1000.0;
    // Whoever is behind the furthest side now has to catch up: noted, and an event when it does.
    long ahead = Math.max(maxRound(sp.first), maxRound(sp.second));
    for (int i : running.keySet()) {
      long mine = lastRound.getOrDefault(i, -1L);
      if (mine < ahead) behind.put(i, new long[] {ahead, now, mine + 1});
    }
    partitions.add(new TestnetResult.PartitionInfo(sp.round, labelList(sp.first), labelList(sp.second), sp.prediction, sp.closed, sp.crossAfterSplit,
        crossBeforeHeal, refused, firstRounds, secondRounds, ok, dials.size(), held));
    String detail = String.format(java.util.Locale.ROOT, "after %.1f s: %s applied %d rounds and %s %d while split; %d dials and connections refused; "
        + "%d connections between the sides formed while split; %d of %d cross-side dials connected", held, labels(sp.first), firstRounds, labels(sp.second),
        secondRounds, refused, crossBeforeHeal, ok, dials.size());
    events.add(new TestnetResult.Event(networkRound(), "network", "heal", detail));
    say.accept("healed the partition of round " + sp.round + " " + detail);
  }

  /**
   * What the round protocol will do on each side: a side holding a quorum of the round's voters
   * certifies rounds on its own; one without stalls in view changes (it can neither certify nor be
   * told a certificate). No side can hold two quorums' worth, so at most one goes on; with the
   * default halves neither does (⌈n/2⌉ &lt; n − ⌊(n−1)/3⌋ for every n ≥ 2).
   */
  private String predict(long round, List<Integer> first, List<Integer> second) {
    int voters = 0;
    for (RunSpec.Member m : spec.members()) if (m.fromRound() <= round) voters++;
    int q = ChurnSchedule.quorum(voters);
    String a = side(first, voters, q, round), b = side(second, voters, q, round);
    boolean anyGoes = a.contains("keeps") || b.contains("keeps");
    return a + "; " + b + (anyGoes ? "; after the heal the stalled side replays the rounds it missed from the others' certificates"
        : "; every side stalls, and after the heal the round resumes at the next view change");
  }

  private String side(List<Integer> nodes, int voters, int q, long round) {
    int mine = 0;
    for (int i : nodes) {
      for (RunSpec.Member m : spec.members()) if (m.peer().equals(peerIds.get(i)) && m.fromRound() <= round) mine++;
    }
    return labels(nodes) + " hold " + mine + " of " + voters + " voters (quorum " + q + "): " + (mine >= q ? "keeps certifying rounds" : "stalls");
  }

  /** Open connections whose ends are on different sides (each counted once, from the lower index). */
  private int crossConnections() {
    int n = 0;
    for (Map.Entry<Integer, NodeRuntime> e : running.entrySet()) {
      NodeRuntime x = e.getValue();
      for (var c : x.host().connections()) {
        if (!partitionApart(x.peerId(), c.remotePeer())) continue;
        Integer other = indexOf(c.remotePeer());
        if (other == null || e.getKey() < other) n++;
      }
    }
    return n;
  }

  /** Whether two peers were on different sides of the split in progress (or the one just healed). */
  private boolean partitionApart(PeerId a, PeerId b) {
    Integer x = indexOf(a), y = indexOf(b);
    if (x == null || y == null) return false;
    Split sp = split != null ? split : lastSplit;
    if (sp == null) return false;
    return (sp.first.contains(x) && sp.second.contains(y)) || (sp.second.contains(x) && sp.first.contains(y));
  }

  private Split lastSplit;

  private Integer indexOf(PeerId p) {
    String s = p.toBase58();
    for (Map.Entry<Integer, String> e : peerIds.entrySet()) if (e.getValue().equals(s)) return e.getKey();
    return null;
  }

  private static long refused(NodeRuntime n) {
    var g = n.host().gatedCounts();
    return g.dials() + g.inbound() + g.outbound();
  }

  private long maxRound(List<Integer> nodes) {
    long m = -1;
    for (int i : nodes) m = Math.max(m, lastRound.getOrDefault(i, -1L));
    return m;
  }

  private static String labels(List<Integer> nodes) {
    return String.join(", ", labelList(nodes));
  }

  private static List<String> labelList(List<Integer> nodes) {
    List<String> out = new ArrayList<>();
    for (int i : nodes) out.add("node-" + i);
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether every live honest node ended on the same round and θ. A node reports a round applied
   * a moment after it completes its run (its CRDT root is read first): waits up to 5 s for the
   * last round's reports.
   */
  private TestnetResult.FinalState checkFinalState() {
    long until = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < until) {
      boolean all = true;
      for (int i : running.keySet()) if (!cfg.isByzantine(i) && lastRound.getOrDefault(i, -1L) < cfg.rounds() - 1) all = false;
      if (all) break;
      sleep(20);
    }
    Map<Integer, RoundRecord> last = new TreeMap<>();
    synchronized (records) {
      for (RoundRecord r : records) {
        int i = Integer.parseInt(r.node().substring(5));
        if (cfg.isByzantine(i) || !running.containsKey(i)) continue;
        RoundRecord prev = last.get(i);
        if (prev == null || r.round() > prev.round()) last.put(i, r);
      }
    }
    if (last.isEmpty()) return new TestnetResult.FinalState(false, 0, -1, "", "final state: no live honest node applied a round");
    Set<String> states = new HashSet<>();
    for (RoundRecord r : last.values()) states.add(r.round() + "/" + r.thetaHash());
    if (states.size() == 1) {
      RoundRecord r = last.values().iterator().next();
      return new TestnetResult.FinalState(true, last.size(), r.round(), r.thetaHash(),
          "final state: all " + last.size() + " live honest nodes hold θ " + r.thetaHash().substring(0, 10) + " after round " + r.round());
    }
    StringBuilder sb = new StringBuilder("final state: live honest nodes DISAGREE:");
    for (Map.Entry<Integer, RoundRecord> e : last.entrySet()) sb.append(" node-").append(e.getKey()).append(" round ").append(e.getValue().round()).append(" θ ").append(e.getValue().thetaHash(), 0, 10).append(';');
    return new TestnetResult.FinalState(false, last.size(), -1, "", sb.toString());
  }

  private String lossHint(long round) {
    synchronized (records) {
      for (RoundRecord r : records) {
        if (r.round() == round && !cfg.isByzantine(Integer.parseInt(r.node().substring(5)))) {
          return String.format(java.util.Locale.ROOT, " (θ %s, training loss %.3f)", r.thetaHash().substring(0, 10), r.trainLoss());
        }
      }
    }
    return "";
  }

  /** Whether {@code n}'s replica holds its own contribution record of {@code round} (null: it did not answer in time). */
  private static Boolean holdsOwnRecord(NodeRuntime n, long round) {
    if (round < 0) return null;
    try {
      return n.crdtContributions(round).get(2, TimeUnit.SECONDS).containsKey(n.peerId());
    } catch (Exception e) {
      return null;
    }
  }

  private void stop(int i, String why) {
    NodeRuntime n = running.remove(i);
    if (n == null) return;
    DashboardServer d = dashboards.remove(i);
    if (d != null) d.close();
    long[] b = bytes.computeIfAbsent(i, k -> new long[6]);
    b[0] += n.roundBytesOut();
    b[1] += n.roundBytesIn();
    b[2] += n.checkpointBytesOut();
    b[3] += n.checkpointBytesIn();
    try {
      long[] s = n.crdtSyncTotals().get(why.equals("kill") ? 200 : 2_000, TimeUnit.MILLISECONDS);
      b[4] += s[2];
      b[5] += s[1];
    } catch (Exception e) {
      // the node is going anyway
    }
    if (why.equals("kill")) {
      // A crash is instant: the node stops acting as close() begins; its sockets and stores wind
      // down in the background (seconds), which must not hold the others' next round.
      closing.put(i, CompletableFuture.runAsync(n::close));
    } else {
      n.close();
    }
  }

  private boolean allFinished() {
    if (running.isEmpty()) return false;
    for (TestnetConfig.NodeAt j : joins) if (!running.containsKey(j.node()) && j.round() > networkRound()) return false;
    // Attackers do not count: a banned one no longer receives the certificates that would end its run.
    for (Map.Entry<Integer, NodeRuntime> e : running.entrySet()) if (!cfg.isByzantine(e.getKey()) && !e.getValue().finished().isDone()) return false;
    return true;
  }

  private long networkRound() {
    long r = 0;
    for (Long k : firstApplied.keySet()) r = Math.max(r, k + 1);
    return r;
  }

  private void waitForMesh(int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      boolean ok = true;
      for (NodeRuntime node : running.values()) {
        if (node.topicPeers().get(5, TimeUnit.SECONDS).size() < n - 1 || node.live().size() < n) ok = false;
      }
      if (ok) return;
      Thread.sleep(200);
    }
    StringBuilder why = new StringBuilder();
    for (Map.Entry<Integer, NodeRuntime> e : new TreeMap<>(running).entrySet()) {
      NodeRuntime node = e.getValue();
      why.append(String.format(" node-%d: %d connections, %d topic peers, %d live, %d members;", e.getKey(), node.host().connections().size(),
          node.topicPeers().get(5, TimeUnit.SECONDS).size(), node.live().size(), node.memberCount().get(5, TimeUnit.SECONDS)));
    }
    throw new IOException("the " + n + " nodes did not all find each other within 60 s:" + why);
  }

  /**
   * Checks that each rejoined honest node lost nothing: its CRDT replica still holds the
   * contribution it recorded before the kill, and from its return on its θ matched the others'.
   */
  private List<String> checkRejoinedState() {
    List<String> out = new ArrayList<>();
    for (TestnetConfig.NodeAt j : joins) {
      NodeRuntime n = running.get(j.node());
      if (n == null || cfg.isByzantine(j.node()) || j.node() >= cfg.nodes()) continue;
      // The kill this join ends: the latest one before it (churn kills a node more than once).
      TestnetConfig.NodeAt kill = kills.stream().filter(k -> k.node() == j.node() && k.round() < j.round())
          .max(java.util.Comparator.comparingInt(TestnetConfig.NodeAt::round)).orElse(null);
      if (kill == null || kill.round() < 1) continue;
      long before = kill.round() - 1;
      // Only a record the node held when killed can be kept (one still catching up may have written none).
      Boolean had = heldAtKill.get(kill);
      if (had != null && !had) {
        out.add("node-" + j.node() + ": held no contribution record of round " + before + " when killed in round " + kill.round() + " (nothing to keep)");
        continue;
      }
      try {
        var contribs = n.crdtContributions(before).get(5, TimeUnit.SECONDS);
        boolean kept = contribs.containsKey(n.peerId());
        out.add("node-" + j.node() + ": CRDT replica " + (kept ? "kept" : "LOST") + " its contribution record of round " + before + " across the kill");
      } catch (Exception e) {
        out.add("node-" + j.node() + ": cannot read its replica: " + e);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------- evaluation

  /** With dashboards on: evaluates θ as rounds land so each node's loss plot fills live. */
  private synchronized void liveLoss(long round, float[] theta) {
    if (liveEval == null) {
      liveEval = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-testnet-live-eval");
        t.setDaemon(true);
        return t;
      });
    }
    liveEval.execute(() -> {
      ModelSpec model = spec.modelSpec();
      if (liveTrainer == null) liveTrainer = new TorchTrainer(model, spec.inner(), theta);
      liveTrainer.loadParameters(theta);
      double l = liveTrainer.evaluate(WindowSampler.evaluationBatches(data.validation(), spec.rows(), model.context(), 8));
      for (NodeRuntime n : running.values()) n.training().loss(round + 1, l);
    });
  }

  private TreeMap<Long, Double> evaluate(ExecutorService evaluator, ModelSpec model) throws Exception {
    return evaluator.submit(() -> {
      TreeMap<Long, Double> loss = new TreeMap<>();
      List<Batch> val = WindowSampler.evaluationBatches(data.validation(), spec.rows(), model.context(), 8);
      float[] init = model.initialParameters(spec.seed());
      try (Trainer t = new TorchTrainer(model, spec.inner(), init)) {
        loss.put(0L, t.evaluate(val));
        TreeMap<Long, String> first = new TreeMap<>();
        synchronized (records) {
          for (RoundRecord r : records) if (!cfg.isByzantine(Integer.parseInt(r.node().substring(5)))) first.putIfAbsent(r.round(), r.thetaHash());
        }
        for (Map.Entry<Long, String> e : first.entrySet()) {
          float[] theta = thetaByRoundHash.get(e.getKey() + ":" + e.getValue());
          if (theta == null) continue;
          t.loadParameters(theta);
          loss.put(e.getKey() + 1, t.evaluate(val));
        }
      }
      return loss;
    }).get();
  }

  static String shortId(String peer) {
    return peer.substring(Math.max(0, peer.length() - 6));
  }

  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
