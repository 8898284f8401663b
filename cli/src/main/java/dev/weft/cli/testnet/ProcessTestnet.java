package dev.weft.cli.testnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.aggregation.Verdict;
import dev.weft.cli.Main;
import dev.weft.node.peer.PeerNode;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.runtime.RunSpec;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.testnet.Testnet;
import dev.weft.testnet.TestnetConfig;
import dev.weft.testnet.TestnetResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code weft testnet --processes}: the same scenario as the in-JVM {@link Testnet}, but every
 * volunteer is a separate {@code weft node} process and the coordinator a {@code weft run publish}
 * process, so what runs is exactly what a volunteer runs: its own JVM, its directory, its identity
 * file, its JSON log. This process only hosts the bootstrap peer (a DHT member with no run state),
 * writes the run's TOML and shard files, starts, kills ({@code SIGKILL}) and restarts processes on
 * the schedule, and reads what each node prints with {@code --json}.
 *
 * <p>What the in-JVM testnet sees and this cannot: θ itself (so the loss is the first honest,
 * never-killed node's validation loss on its own held-out text, not one shared validation set), the
 * round's sealer and the overhead after the last contribution. Churn, partitions and dashboards
 * need the in-JVM testnet's hooks (a connection gater, listeners) and are refused with a message.
 * A newcomer ({@code --join} of a node index ≥ N) is in the run's allowlist from the start, as a
 * voter absent until it joins.
 */
final class ProcessTestnet {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long one process may take to reach training (JVM start, LibTorch, DHT, downloads). */
  private static final long START_SECONDS = 240;
  /** No honest node applying a round for this long ends the scenario (a lost quorum would otherwise wait for --timeout). */
  private static final long STALL_MILLIS = 300_000;
  /** How long a restarted node may trail after the never-killed nodes finished (they linger 60 s to serve it). */
  private static final long STRAND_MILLIS = 90_000;
  private final List<String> stranded = new CopyOnWriteArrayList<>();
  private final java.util.Set<Integer> strandedNodes = ConcurrentHashMap.newKeySet();

  private final TestnetConfig cfg;
  private final NatTopology.Kind topology;
  /** The namespaces of a NAT topology while the scenario runs (null: loopback). */
  private NatTopology net;
  /** The coordinator (−1) and, in a NAT topology, the bootstrap process (−2). */
  private final Map<Integer, Process> helpers = new ConcurrentHashMap<>();
  private final Consumer<String> say;
  private final Path root;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Map<Integer, Process> live = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> incarnations = new ConcurrentHashMap<>();
  /** Every JSON line of every incarnation, by node, with the time it was read. */
  private final Map<Integer, List<Line>> lines = new ConcurrentHashMap<>();
  private final List<TestnetResult.Event> events = new CopyOnWriteArrayList<>();

  record Line(int incarnation, long atMillis, JsonNode json) {}

  private ProcessTestnet(TestnetConfig cfg, NatTopology.Kind topology, Consumer<String> say) {
    this.cfg = cfg;
    this.topology = topology;
    this.say = say;
    this.root = cfg.out().resolve(cfg.isClean() ? "clean-state" : "state");
  }

  /** What {@code --processes} cannot do; null when the scenario can run. */
  static String unsupported(TestnetConfig cfg) {
    if (cfg.churn() > 0) return "--churn needs the in-JVM testnet (drop --processes)";
    if (!cfg.partitions().isEmpty()) return "--partition needs the in-JVM testnet's connection gater (drop --processes)";
    if (cfg.dashboard()) return "--dashboard is served by the in-JVM testnet's nodes (drop --processes; a process node takes `weft node --dashboard`)";
    return null;
  }

  static Testnet.Outcome runWithClean(TestnetConfig cfg, Consumer<String> say) throws Exception {
    return runWithClean(cfg, NatTopology.Kind.LOOPBACK, say);
  }

  /** The scenario on {@code topology} (a NAT one needs root: see {@link NatTopology#unavailable}), then its clean run on the same topology. */
  static Testnet.Outcome runWithClean(TestnetConfig cfg, NatTopology.Kind topology, Consumer<String> say) throws Exception {
    TestnetResult r = new ProcessTestnet(cfg, topology, say).execute();
    TestnetResult clean = null;
    if (cfg.cleanRun() && !cfg.isClean()) {
      say.accept("clean run: the same seed and nodes, no attackers, no kills");
      clean = new ProcessTestnet(cfg.clean(), topology, line -> say.accept("(clean) " + line)).execute();
    }
    return new Testnet.Outcome(r, clean);
  }

  // ------------------------------------------------------------------------- the scenario

  private TestnetResult execute() throws Exception {
    long t0 = System.nanoTime();
    Testnet.deleteTree(root);
    Files.createDirectories(root.resolve("logs"));
    int members = cfg.nodes();
    for (TestnetConfig.NodeAt j : cfg.joins()) members = Math.max(members, j.node() + 1);
    Map<Integer, PrivKey> keys = new TreeMap<>();
    for (int i = 0; i < members; i++) {
      PrivKey k = Testnet.nodeKey(cfg.seed(), i);
      keys.put(i, k);
      Files.createDirectories(dir(i));
      KeyFiles.save(k, dir(i).resolve("identity.key"));
    }
    RunSpec spec = RunSpec.small("testnet", cfg.model(), cfg.seed(), cfg.rounds()).withAggregator(cfg.aggregator());
    Path toml = writeRun(spec, keys, members);
    Path coordKey = root.resolve("coordinator.key");
    KeyFiles.save(Ed25519.fromSeedNumber(cfg.seed() * 1_000), coordKey);

    boolean completed = false;
    String failure = null;
    long deadline = System.currentTimeMillis() + cfg.timeoutMillis();
    PeerNode boot = null;
    try {
      String b;
      if (topology == NatTopology.Kind.LOOPBACK) {
        boot = PeerNode.start(Ed25519.fromSeedNumber(cfg.seed() * 1_000 + 999), PeerNode.Config.loopback(root.resolve("bootstrap")));
        b = boot.addresses().get(0).toString();
      } else {
        net = NatTopology.up(topology, members, root.resolve("logs"));
        for (int i = 0; i < members; i++) say.accept(label(i) + " " + net.describe(i));
        b = startBootstrap();
        say.accept("bootstrap, relay and AutoNAT server on the internet at " + b);
      }
      Process coord = start(-1, List.of("run", "publish", toml.toString(), "--key", coordKey.toString(), "--dir", root.resolve("coordinator").toString(),
          "--bootstrap", b, "--listen", net == null ? "/ip4/127.0.0.1/tcp/0" : "/ip4/" + NatTopology.COORDINATOR_IP + "/tcp/" + NatTopology.PORT, "--json"));
      String run = await(-1, event("published"), "publication", START_SECONDS).get("run").asText();
      say.accept("coordinator published run " + run + " (" + cfg.model() + ", " + spec.aggregator() + ", H=" + spec.innerSteps() + ")");
      for (int i = 0; i < cfg.nodes(); i++) startNode(i, run, b);
      for (int i = 0; i < cfg.nodes(); i++) await(i, event("training"), "the start of training", START_SECONDS);
      coord.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      events.add(new TestnetResult.Event(0, "coordinator", "leave", "published the run, served its blobs until every node trained, and was killed"));
      say.accept("coordinator left; " + cfg.nodes() + " node processes training" + (cfg.byzantine() > 0 ? ", " + cfg.byzantine() + " attacking with " + cfg.attack() : ""));
      List<TestnetConfig.NodeAt> kills = new ArrayList<>(cfg.kills()), joins = new ArrayList<>(cfg.joins());
      long seen = -2, progressAt = System.currentTimeMillis(), othersDoneAt = -1;
      while (true) {
        long network = networkRound();
        if (network != seen) {
          seen = network;
          progressAt = System.currentTimeMillis();
        }
        // "kill node-3@4": when the network starts round 4, i.e. once an honest node applied round 3.
        for (TestnetConfig.NodeAt k : List.copyOf(kills)) {
          if (network + 1 < k.round()) continue;
          kills.remove(k);
          Process p = live.remove(k.node());
          if (p == null) continue;
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          events.add(new TestnetResult.Event(k.round(), label(k.node()), "kill", "kill -9 of its process (pid " + p.pid() + ") as round " + k.round() + " began"));
          say.accept("round " + k.round() + ": killed " + label(k.node()) + " (kill -9)");
        }
        for (TestnetConfig.NodeAt j : List.copyOf(joins)) {
          if (network + 1 < j.round()) continue;
          joins.remove(j);
          boolean rejoin = j.node() < cfg.nodes();
          startNode(j.node(), run, b);
          events.add(new TestnetResult.Event(j.round(), label(j.node()), rejoin ? "rejoin" : "join",
              rejoin ? "restarted from its directory (identity, CRDT replica, checkpoints, optimizer state)" : "a new volunteer process"));
          say.accept("round " + j.round() + ": " + (rejoin ? "restarted " : "started ") + label(j.node()));
        }
        if (kills.isEmpty() && joins.isEmpty() && allFinished()) {
          completed = true;
          break;
        }
        if (kills.isEmpty() && joins.isEmpty() && neverKilledFinished()) {
          if (othersDoneAt < 0) othersDoneAt = System.currentTimeMillis();
          if (System.currentTimeMillis() - othersDoneAt > STRAND_MILLIS) {
            // Known defect: a restarted node can trail the others by a round and, once they finish,
            // not get the last certificate from them. Reported, not hidden: see the state checks.
            for (Map.Entry<Integer, Process> e : live.entrySet()) if (!cfg.isByzantine(e.getKey()) && !finished(e.getKey())) strandedNodes.add(e.getKey());
            for (String u : unfinished()) stranded.add(u + ": STRANDED — restarted, still behind " + STRAND_MILLIS / 1000
                + " s after the nodes that were never killed finished (they linger to serve it; a known defect of catch-up at the end of a run)");
            completed = true;
            break;
          }
        }
        String dead = deadHonest();
        if (dead != null) {
          failure = dead;
          break;
        }
        if (System.currentTimeMillis() - progressAt > STALL_MILLIS) {
          failure = "stalled: no honest node applied a round for " + STALL_MILLIS / 1000 + " s after round " + network + " (" + live.size()
              + " node processes alive; a round needs the run's quorum of live, unbanned voters; not finished: " + unfinished() + ")";
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          failure = "timed out after " + cfg.timeoutMillis() / 1000 + " s in round " + networkRound();
          break;
        }
        Thread.sleep(200);
      }
      if (completed) awaitLastValidation();
      say.accept(completed ? "all live honest nodes finished " + cfg.rounds() + " rounds" : failure);
    } finally {
      for (Process p : processes) p.destroyForcibly();
      for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
      if (boot != null) boot.close();
      if (net != null) net.close();
    }
    return result(spec, keys, completed, failure, (System.nanoTime() - t0) / 1e9);
  }

  /** A node evaluates θ after printing its round line, so the last round's loss may follow "finished" by a moment. */
  private void awaitLastValidation() throws InterruptedException {
    int node = lossNode();
    long until = System.currentTimeMillis() + 20_000;
    while (node >= 0 && System.currentTimeMillis() < until) {
      for (Line l : lines.getOrDefault(node, List.of())) if (event("validation").test(l.json()) && l.json().get("round").asLong() >= cfg.rounds() - 1) return;
      Thread.sleep(100);
    }
  }

  /** The first honest node never killed (−1: none): its validation loss is the run's curve. */
  private int lossNode() {
    for (int i = 0; i < cfg.nodes(); i++) {
      int node = i;
      if (!cfg.isByzantine(i) && cfg.kills().stream().noneMatch(k -> k.node() == node)) return i;
    }
    return -1;
  }

  private Path dir(int node) {
    return root.resolve(label(node));
  }

  private static String label(int node) {
    return node == -2 ? "bootstrap" : node < 0 ? "coordinator" : "node-" + node;
  }

  /**
   * In a NAT topology the bootstrap is a {@code weft p2p serve} process on the internet (this
   * process cannot reach the namespaces): a DHT server, a circuit relay and an AutoNAT server, what
   * a run's public bootstrap peers are. Its address, from its identity line.
   */
  private String startBootstrap() throws Exception {
    start(-2, List.of("p2p", "serve", "--seed", String.valueOf(cfg.seed() * 1_000 + 999), "--listen",
        "/ip4/" + NatTopology.BOOTSTRAP_IP + "/tcp/" + NatTopology.PORT, "--stdin", "off", "--json"));
    JsonNode id = await(-2, n -> n.has("peerId") && n.path("addrs").size() > 0, "its listen address", START_SECONDS);
    return id.get("addrs").get(0).asText();
  }

  /** The run's TOML: the in-JVM testnet's {@link RunSpec#small} settings, an allowlist of every member, a shard file each. */
  private Path writeRun(RunSpec spec, Map<Integer, PrivKey> keys, int members) throws IOException {
    byte[] corpus = SyntheticCorpus.defaultCorpus();
    int shardBytes = Math.min(32 * 1024, corpus.length / members);
    List<String> files = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      Path f = root.resolve("shard-" + i + ".txt");
      Files.write(f, Arrays.copyOfRange(corpus, i * shardBytes, (i + 1) * shardBytes));
      files.add("\"" + f.getFileName() + "\"");
    }
    List<String> allow = new ArrayList<>();
    for (PrivKey k : keys.values()) allow.add("\"" + PeerId.fromPublicKey(k.publicKey()).toBase58() + "\"");
    // The rule's f: the attackers, within what the voters tolerate ((n − 1) / 3); a seal needs 2f + 1 reports.
    int f = Math.max(1, Math.min(cfg.byzantine(), (members - 1) / 3));
    int quorum = Math.min(2 * f + 1, members - (members - 1) / 3);
    boolean gpt = spec.modelSpec() instanceof GptConfig;
    Path toml = root.resolve("run.toml");
    Files.writeString(toml, String.format(Locale.ROOT, """
        name = "testnet"
        [model]
        spec = "%s"
        seed = %d
        [data]
        files = [%s]
        shards_per_peer = 1
        [training]
        inner_steps = %d
        rounds = %d
        checkpoint_every = 1
        batch_rows = %d
        [inner]
        lr = %s
        warmup_steps = %d
        [outer]
        optimizer = "nesterov"
        lr = %s
        momentum = %s
        [aggregation]
        rule = "%s"
        f = %d
        codec = "%s"
        [round]
        quorum = %d
        min_contributions = %d
        max_voters = %d
        [admission]
        policy = "allowlist"
        allow = [%s]
        [limits]
        max_contribution_bytes = 67108864
        max_peers = 64
        round_timeout_ms = %d
        """, cfg.model(), cfg.seed(), String.join(", ", files), spec.innerSteps(), cfg.rounds(), spec.rows(), spec.lr(), gpt ? 4 : 2,
        spec.outerLr(), spec.outerMomentum(), spec.aggregator(), f, spec.codec(), quorum, Math.min(quorum, members), Math.max(members, quorum),
        String.join(", ", allow), Math.max(5_000, cfg.cutoffMillis())));
    return toml;
  }

  private void startNode(int i, String run, String bootstrap) throws IOException {
    // On loopback NAT traversal has nothing to find; behind the topology's routers it runs as a volunteer's does: on by default, nothing configured.
    List<String> args = new ArrayList<>(List.of("node", "--run", run, "--bootstrap", bootstrap, "--dir", dir(i).toString(), "--listen",
        net == null ? "/ip4/127.0.0.1/tcp/0" : "/ip4/" + net.hostIp(i) + "/tcp/" + NatTopology.PORT, "--json", "--status-every", "0"));
    if (net == null) args.add("--no-nat");
    if (cfg.isByzantine(i)) args.addAll(List.of("--misbehave", cfg.attack()));
    live.put(i, start(i, args));
  }

  /** Starts {@code weft ARGS} as a process of the JVM and class path this one runs on; reads its JSON lines. */
  private Process start(int node, List<String> args) throws IOException {
    int inc = incarnations.merge(node, 1, Integer::sum);
    List<String> cmd = new ArrayList<>();
    if (net != null) cmd.addAll(NatTopology.exec(node == -2 || node == -1 ? net.publicNamespace() : net.hostNamespace(node)));
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms16m", "-Xmx768m",
        "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"));
    if (Runtime.version().feature() >= 24) cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(root.resolve("logs").resolve(label(node) + "-" + inc + ".stderr.txt").toFile());
    // One LibTorch thread per process: N processes share the machine's cores.
    pb.environment().putIfAbsent("WEFT_TORCH_THREADS", "1");
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
    pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    Process p = pb.start();
    processes.add(p);
    if (node < 0) helpers.put(node, p);
    List<Line> seen = lines.computeIfAbsent(node, k -> new CopyOnWriteArrayList<>());
    Path log = root.resolve("logs").resolve(label(node) + "-" + inc + ".jsonl");
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          w.write(line);
          w.newLine();
          w.flush();
          try {
            seen.add(new Line(inc, System.currentTimeMillis(), JSON.readTree(line)));
          } catch (IOException e) {
            // not a JSON line: kept in the log file only
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "weft-testnet-read-" + label(node));
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private JsonNode await(int node, Predicate<JsonNode> what, String description, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int inc = incarnations.getOrDefault(node, 0);
    while (System.nanoTime() < deadline) {
      for (Line l : lines.getOrDefault(node, List.of())) if (l.incarnation() == inc && what.test(l.json())) return l.json();
      Process p = node < 0 ? helpers.get(node) : live.get(node);
      if (p != null && !p.isAlive()) throw new IOException(label(node) + " exited (status " + p.exitValue() + ") before " + description + "; see " + stderrFile(node, inc));
      Thread.sleep(100);
    }
    throw new IOException(label(node) + ": no " + description + " within " + seconds + " s; see " + stderrFile(node, inc));
  }

  private Path stderrFile(int node, int inc) {
    return root.resolve("logs").resolve(label(node) + "-" + inc + ".stderr.txt");
  }

  private static Predicate<JsonNode> event(String e) {
    return n -> e.equals(n.path("event").asText());
  }

  /** The highest round any honest node applied (−1: none yet). */
  private long networkRound() {
    long r = -1;
    for (Map.Entry<Integer, List<Line>> e : lines.entrySet()) {
      if (e.getKey() < 0 || cfg.isByzantine(e.getKey())) continue;
      for (Line l : e.getValue()) if (event("round").test(l.json())) r = Math.max(r, l.json().get("round").asLong());
    }
    return r;
  }

  /** Each live honest node that has not printed "finished", with the last round it applied. */
  private List<String> unfinished() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Integer, Process> e : new TreeMap<>(live).entrySet()) {
      if (cfg.isByzantine(e.getKey())) continue;
      int inc = incarnations.get(e.getKey());
      long last = -1;
      boolean done = false;
      for (Line l : lines.getOrDefault(e.getKey(), List.of())) {
        if (l.incarnation() != inc) continue;
        done |= event("finished").test(l.json());
        if (event("round").test(l.json())) last = Math.max(last, l.json().get("round").asLong());
      }
      if (!done) out.add(label(e.getKey()) + " (last applied round " + last + ")");
    }
    return out;
  }

  private boolean finished(int node) {
    int inc = incarnations.get(node);
    return lines.getOrDefault(node, List.of()).stream().anyMatch(l -> l.incarnation() == inc && event("finished").test(l.json()));
  }

  /** Whether every honest node that was never killed has finished (restarted ones may still be catching up). */
  private boolean neverKilledFinished() {
    for (Map.Entry<Integer, Process> e : live.entrySet()) {
      int node = e.getKey();
      if (cfg.isByzantine(node) || cfg.kills().stream().anyMatch(k -> k.node() == node)) continue;
      int inc = incarnations.get(node);
      if (lines.getOrDefault(node, List.of()).stream().noneMatch(l -> l.incarnation() == inc && event("finished").test(l.json()))) return false;
    }
    return true;
  }

  private boolean allFinished() {
    for (Map.Entry<Integer, Process> e : live.entrySet()) {
      if (cfg.isByzantine(e.getKey())) continue;
      int inc = incarnations.get(e.getKey());
      boolean done = lines.getOrDefault(e.getKey(), List.of()).stream().anyMatch(l -> l.incarnation() == inc && event("finished").test(l.json()));
      if (!done) return false;
    }
    return true;
  }

  /** An honest process that exited without finishing (a crash is a failed scenario, not a wait until the timeout). */
  private String deadHonest() {
    for (Map.Entry<Integer, Process> e : live.entrySet()) {
      if (cfg.isByzantine(e.getKey()) || e.getValue().isAlive()) continue;
      int inc = incarnations.get(e.getKey());
      boolean done = lines.getOrDefault(e.getKey(), List.of()).stream().anyMatch(l -> l.incarnation() == inc && event("finished").test(l.json()));
      if (!done) return label(e.getKey()) + " exited with status " + e.getValue().exitValue() + " before the end of the run; see " + stderrFile(e.getKey(), inc);
    }
    return null;
  }

  // ------------------------------------------------------------------------- the result

  private TestnetResult result(RunSpec spec, Map<Integer, PrivKey> keys, boolean completed, String failure, double seconds) {
    Map<Integer, String> peerIds = new TreeMap<>();
    keys.forEach((i, k) -> peerIds.put(i, PeerId.fromPublicKey(k.publicKey()).toBase58()));
    List<RoundRecord> records = new ArrayList<>();
    TreeMap<Long, Long> firstApplied = new TreeMap<>(), lastApplied = new TreeMap<>();
    List<TestnetResult.NodeInfo> infos = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    for (int i : peerIds.keySet()) {
      List<Line> ls = lines.getOrDefault(i, List.of());
      if (ls.isEmpty()) continue;
      Map<Integer, long[]> bytesByIncarnation = new HashMap<>();
      for (Line l : ls) {
        JsonNode j = l.json();
        long[] b = bytesByIncarnation.computeIfAbsent(l.incarnation(), k -> new long[2]);
        b[0] = Math.max(b[0], j.path("roundBytesOut").asLong(0));
        b[1] = Math.max(b[1], j.path("roundBytesIn").asLong(0));
        if (event("caught-up").test(j)) {
          events.add(new TestnetResult.Event(j.path("to").asLong(), label(i), "catch-up",
              "replayed certified rounds " + j.path("from").asLong() + " to " + j.path("to").asLong() + " (" + j.path("why").asText() + ")"));
        }
        if (!event("round").test(j)) continue;
        long round = j.get("round").asLong();
        records.add(record(label(i), j, l.atMillis()));
        if (!cfg.isByzantine(i)) {
          firstApplied.merge(round, l.atMillis(), Math::min);
          lastApplied.merge(round, l.atMillis(), Math::max);
        }
      }
      long out = 0, in = 0;
      for (long[] b : bytesByIncarnation.values()) {
        out += b[0];
        in += b[1];
      }
      // A node's log has its round-protocol counters only (summed over its incarnations): no catch-up or CRDT split.
      infos.add(new TestnetResult.NodeInfo(label(i), peerIds.get(i), cfg.isByzantine(i), out, in, 0, 0, 0, 0, null));
      List<Line> trainings = ls.stream().filter(l -> event("training").test(l.json())).toList();
      if (trainings.size() > 1) {
        long at = trainings.get(trainings.size() - 1).json().path("round").asLong();
        checks.add(label(i) + ": restarted from its directory and resumed training at round " + at
            + (at > 0 ? " (it kept its state: a node that lost it starts at round 0 and fails the checkpoint check)" : " (round 0: NOTHING KEPT)"));
      }
    }
    checks.addAll(stranded);
    if (net != null) checks.addAll(network(peerIds.keySet()));
    records.sort(java.util.Comparator.comparing(RoundRecord::round).thenComparing(RoundRecord::node));
    TreeMap<Long, Long> durations = new TreeMap<>();
    for (Map.Entry<Long, Long> e : lastApplied.entrySet()) {
      Long prev = firstApplied.get(e.getKey() - 1);
      if (prev != null) durations.put(e.getKey(), e.getValue() - prev);
    }
    return new TestnetResult(cfg, spec, infos, records, List.copyOf(events), loss(), durations, new TreeMap<>(), completed, failure, checks, seconds,
        List.of(), finalState());
  }

  /**
   * Per node of a NAT topology: where it sits, how it was connected at its last round (peers direct
   * and through a relay only), its hole punches, and what it last said about its reachability.
   */
  private List<String> network(java.util.Set<Integer> nodes) {
    List<String> out = new ArrayList<>();
    for (int i : nodes) {
      List<Line> ls = lines.getOrDefault(i, List.of());
      if (ls.isEmpty()) continue;
      JsonNode last = null;
      String nat = null;
      int punched = 0, failed = 0;
      for (Line l : ls) {
        if (event("round").test(l.json())) {
          last = l.json();
          // The counters restart with each process: report the most one incarnation reached.
          punched = Math.max(punched, last.path("holePunchesDirect").asInt());
          failed = Math.max(failed, last.path("holePunchesFailed").asInt());
        }
        if (event("nat").test(l.json())) {
          // Its reachability and relay clauses: the counters are above, the port mapping in its own log.
          List<String> keep = new ArrayList<>();
          for (String clause : l.json().path("what").asText().split("; ")) if (clause.startsWith("reachab") || clause.startsWith("no relay")) keep.add(clause);
          nat = String.join("; ", keep);
        }
      }
      StringBuilder b = new StringBuilder("network: ").append(label(i)).append(" ").append(net.describe(i));
      if (last != null) {
        b.append(String.format(Locale.ROOT, "; at round %d: %d peers direct, %d through a relay only; hole punches %d direct, %d failed",
            last.path("round").asLong(), last.path("directPeers").asInt(), last.path("relayedPeers").asInt(), punched, failed));
      }
      if (nat != null) b.append("; said: ").append(nat);
      out.add(b.toString());
    }
    return out;
  }

  private static RoundRecord record(String node, JsonNode j, long at) {
    List<RoundRecord.Fate> fates = new ArrayList<>();
    for (JsonNode f : j.path("fates")) {
      fates.add(new RoundRecord.Fate(f.path("peer").asText(), Verdict.valueOf(f.path("verdict").asText().toUpperCase(Locale.ROOT)),
          f.path("influence").asDouble(), f.path("reason").asText()));
    }
    List<RoundRecord.Ban> bans = new ArrayList<>();
    for (JsonNode b : j.path("bans")) bans.add(new RoundRecord.Ban(b.path("peer").asText(), b.path("evidence").asText()));
    return new RoundRecord(node, j.get("round").asLong(), j.path("thetaHash").asText(), j.path("crdtRoot").asText(), j.path("stateRoot").asText(),
        "", fates, j.has("aggregateFailure") ? j.get("aggregateFailure").asText() : null, j.path("trainLoss").asDouble(Double.NaN), 0, 0, 0,
        j.path("contributed").asBoolean(), 0, 0, 0, at, bans);
  }

  /** Validation loss after each round (key r + 1) on the first honest node that was never killed: its own held-out text. */
  private TreeMap<Long, Double> loss() {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (Line l : lines.getOrDefault(lossNode(), List.of())) {
      if (event("validation").test(l.json())) out.put(l.json().get("round").asLong() + 1, l.json().get("loss").asDouble());
    }
    return out;
  }

  /** The live honest nodes' last applied round and θ hash, from their last round lines. */
  private TestnetResult.FinalState finalState() {
    Map<String, String> last = new TreeMap<>();
    long round = -1;
    boolean agree = true;
    String hash = null;
    int n = 0;
    for (Map.Entry<Integer, Process> e : new TreeMap<>(live).entrySet()) {
      if (cfg.isByzantine(e.getKey()) || strandedNodes.contains(e.getKey())) continue; // named in the state checks
      int inc = incarnations.get(e.getKey());
      JsonNode lastRound = null;
      for (Line l : lines.getOrDefault(e.getKey(), List.of())) if (l.incarnation() == inc && event("round").test(l.json())) lastRound = l.json();
      n++;
      if (lastRound == null) {
        agree = false;
        last.put(label(e.getKey()), "no round applied");
        continue;
      }
      long r = lastRound.get("round").asLong();
      String h = lastRound.get("thetaHash").asText();
      last.put(label(e.getKey()), "round " + r + " θ " + h.substring(0, Math.min(10, h.length())));
      if (round == -1 && hash == null) {
        round = r;
        hash = h;
      } else if (r != round || !h.equals(hash)) {
        agree = false;
      }
    }
    String line = agree && hash != null
        ? String.format(Locale.ROOT, "final state: the %d live honest node processes ended on round %d with θ %s", n, round, hash.substring(0, Math.min(10, hash.length())))
        : "final state: live honest node processes DIFFER: " + last;
    return new TestnetResult.FinalState(agree && hash != null, n, round, hash == null ? "" : hash, line);
  }
}
