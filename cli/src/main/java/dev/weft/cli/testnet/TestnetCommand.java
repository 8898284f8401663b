package dev.weft.cli.testnet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.testnet.Attacks;
import dev.weft.testnet.Report;
import dev.weft.testnet.Testnet;
import dev.weft.testnet.TestnetConfig;
import dev.weft.testnet.TestnetResult;
import dev.weft.testnet.Verdicts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft testnet}: a whole weft network in this process over loopback TCP — a coordinator that
 * publishes the run and leaves, N volunteers, attackers, a kill and a rejoin — then the same run
 * clean for comparison, and a report with plots in {@code --out}.
 */
@Command(name = "testnet", mixinStandardHelpOptions = true,
    description = {"Run a whole weft network on this machine (one JVM, or one process per node with --processes; real loopback TCP), attack it, kill and restart nodes,",
        "and write a report (report.md + SVG plots) comparing it with a clean run of the same seed."},
    footer = {"", "Attacks: " + Attacks.NAMES, "",
        "Round protocol: node/round's BFT RoundMachine; attackers attack through their contributions (equivocate: through the protocol).", "",
        "Examples:",
        "  weft testnet                                   6 nodes, 1 sign-flip attacker, node-2 killed in round 3 and back in round 5",
        "  weft testnet --nodes 8 --byzantine 2 --attack alie --rule trimmed-mean:0.25",
        "  weft testnet --rule mean                       the same attack against the plain mean (it hurts)",
        "  weft testnet --kill none --join none --byzantine 0 --rounds 4",
        "  weft testnet --dashboard                       each node serves its dashboard; URLs printed",
        "  weft testnet --churn 0.2                       each round each live node goes down with p = 0.2, back 1-2 rounds later",
        "  weft testnet --nodes 4 --partition 2:15        node-0,1 | node-2,3 for 15 s from round 2: no side has a quorum, both stall",
        "  weft testnet --nodes 4 --partition 2:15:1      node-0,1,2 | node-3: the three go on, node-3 replays once healed",
        "  weft testnet --processes --model gpt-micro     every node its own `weft node` process; --kill is kill -9",
        "  weft testnet --topology nat                    (root) every node behind its own NAT router in a network namespace: relay, then hole punching",
        "  weft testnet --json > summary.json             the verdict and per-round numbers as JSON on stdout"})
public final class TestnetCommand implements Callable<Integer> {
  @Mixin Output out;
  @Mixin ConfigOption config;

  @Option(names = "--nodes", defaultValue = "6", description = "Volunteers (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--byzantine", defaultValue = "1", description = "How many of them attack: the last K nodes (default: ${DEFAULT-VALUE}).")
  int byzantine;

  @Option(names = "--attack", defaultValue = "signflip", description = "The attackers' strategy (default: ${DEFAULT-VALUE}); see below.")
  String attack;

  @Option(names = "--kill", defaultValue = "node-2@3", split = ",", paramLabel = "NODE@ROUND",
      description = "Stop a node as a crash when the network starts that round (repeatable; 'none' for no kills; default: ${DEFAULT-VALUE}).")
  List<String> kill;

  @Option(names = "--join", defaultValue = "node-2@5", split = ",", paramLabel = "NODE@ROUND",
      description = "Start a node when the network starts that round: a killed one restarts from its directory, an index >= --nodes joins new (default: ${DEFAULT-VALUE}).")
  List<String> join;

  @Option(names = "--rounds", defaultValue = "8", description = "Outer rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of identities, initial parameters and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--model", defaultValue = "mlp", description = "mlp, gpt-micro, gpt-tiny or a model spec (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--rule", defaultValue = "centered-clip", description = "Aggregation rule every node applies (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(names = "--cutoff-ms", defaultValue = "30000", description = "Initial round cut-off: how long voters wait for contributions before reporting, until measured arrivals set it; a twelfth of it is the floor (default: ${DEFAULT-VALUE}).")
  long cutoffMillis;

  @Option(names = "--timeout", defaultValue = "1200", description = "Give up a run after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--churn", defaultValue = "0", paramLabel = "P", converter = ChurnConverter.class,
      description = "Each round each live node goes down with probability P (0 <= P < 1) and restarts from its directory 1-2 rounds later; "
          + "never below the live honest nodes a round needs (its voters' quorum), never in the last round; planned from --seed (default: ${DEFAULT-VALUE}).")
  double churn;

  @Option(names = "--partition", paramLabel = "ROUND:SECONDS[:CUT]", split = ",", converter = PartitionConverter.class,
      description = "At the start of network round ROUND cut the live nodes in two for SECONDS of wall time: the last CUT by index "
          + "(default: half, rounded down) against the rest; every connection between the sides is refused and closed, then healed and redialled (repeatable).")
  List<TestnetConfig.PartitionAt> partition = new ArrayList<>();

  @Option(names = "--no-clean", description = "Skip the clean comparison run.")
  boolean noClean;

  @Option(names = "--processes", description = "Run the coordinator and every volunteer as its own `weft run publish` / `weft node` process "
      + "(kill -9 for --kill, a restart from its directory for --join) instead of in this JVM; no --churn, --partition or --dashboard.")
  boolean processes;

  @Option(names = "--topology", defaultValue = "loopback", paramLabel = "loopback|nat|nat-mixed",
      description = "Where the nodes sit: all on loopback (default), each behind its own home router doing NAT in a network namespace (nat: cone NATs), "
          + "or cone, symmetric and public in turn (nat-mixed); a bootstrap relay and the coordinator on a namespaced \"internet\". NAT topologies need root, "
          + "ip and iptables, and imply --processes.")
  String topology;

  @Option(names = "--dashboard", description = "Serve each node's dashboard (/, /api/status, /metrics) on a free port and print the URLs.")
  boolean dashboard;

  @Option(names = "--out", defaultValue = "weft-testnet", description = "Report folder (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Override public Integer call() throws Exception {
    List<TestnetConfig.NodeAt> kills = parse(kill), joins = parse(join);
    try {
      TestnetConfig.checkPartitions(partition, nodes, rounds);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec().commandLine(), e.getMessage()); // a usage error: exit 2
    }
    TestnetConfig cfg = new TestnetConfig(nodes, byzantine, attack, kills, joins, rounds, seed, model, rule, outDir.toAbsolutePath(), dashboard,
        !noClean, cutoffMillis, timeoutSeconds * 1000, churn, partition);
    NatTopology.Kind where;
    try {
      where = NatTopology.Kind.parse(topology);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec().commandLine(), e.getMessage());
    }
    if (where != NatTopology.Kind.LOOPBACK) {
      String cannot = NatTopology.unavailable();
      if (cannot != null) throw new picocli.CommandLine.ParameterException(spec().commandLine(), cannot);
      processes = true; // one JVM lives in one network namespace: every node is a process of its own
    }
    String refused = processes ? ProcessTestnet.unsupported(cfg) : null;
    if (refused != null) throw new picocli.CommandLine.ParameterException(spec().commandLine(), "--processes: " + refused);
    out.say("weft testnet%s%s: %d nodes, %d Byzantine (%s), %d rounds, rule %s, model %s; kills %s, joins %s%s%s", processes ? " (one process per node)" : "", where == NatTopology.Kind.LOOPBACK ? "" : " on topology " + where.label(), nodes, byzantine, attack, rounds, rule, model,
        kills.isEmpty() ? "none" : kills, joins.isEmpty() ? "none" : joins, churn > 0 ? ", churn " + churn : "",
        partition.isEmpty() ? "" : ", partitions " + partition);
    Testnet.Outcome o = processes ? ProcessTestnet.runWithClean(cfg, where, line -> out.say("  %s", line)) : Testnet.runWithClean(cfg, line -> out.say("  %s", line));
    String command = "weft " + String.join(" ", spec().commandLine().getParseResult().originalArgs());
    Report.write(cfg.out(), o.result(), o.clean(), command.trim());
    Verdicts v = Verdicts.of(o.result(), o.clean());
    out.say("verdict: %s", v.line());
    out.say("report: %s", cfg.out().resolve("report.md"));
    if (out.json()) out.json(json(o, v, cfg));
    return o.result().completed() && v.disagreements().isEmpty() && o.result().finalState().agree() && v.trained() ? 0 : 1;
  }

  private picocli.CommandLine.Model.CommandSpec spec() {
    return out.commandLine().getCommandSpec();
  }

  /** {@code --churn}: a number in [0, 1); anything else is a usage error naming the value. */
  static final class ChurnConverter implements picocli.CommandLine.ITypeConverter<Double> {
    @Override public Double convert(String value) {
      double p;
      try {
        p = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a probability (a number with 0 <= P < 1, e.g. 0.2)");
      }
      if (!(p >= 0 && p < 1)) throw new picocli.CommandLine.TypeConversionException("'" + value + "': churn must be at least 0 and below 1");
      return p;
    }
  }

  /** {@code --partition}: ROUND:SECONDS[:CUT]; what depends on --nodes and --rounds is checked in {@link #call}. */
  static final class PartitionConverter implements picocli.CommandLine.ITypeConverter<TestnetConfig.PartitionAt> {
    @Override public TestnetConfig.PartitionAt convert(String value) {
      try {
        return TestnetConfig.PartitionAt.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage()); // it names the value
      }
    }
  }

  static List<TestnetConfig.NodeAt> parse(List<String> values) {
    List<String> keep = new ArrayList<>();
    for (String s : values) if (!s.isBlank() && !s.equalsIgnoreCase("none")) keep.add(s);
    return TestnetConfig.NodeAt.parseAll(keep);
  }

  static ObjectNode json(Testnet.Outcome o, Verdicts v, TestnetConfig cfg) {
    TestnetResult r = o.result();
    ObjectNode j = Output.object();
    j.put("verdict", v.line()).put("completed", r.completed()).put("failure", r.failure()).put("trained", v.trained());
    ArrayNode emptyJ = j.putArray("emptyRounds");
    v.emptyRounds().forEach(emptyJ::add);
    j.put("finalLoss", v.finalLoss());
    if (o.clean() != null) j.put("cleanFinalLoss", v.cleanLoss()).put("relativeGap", v.relativeGap());
    ArrayNode dis = j.putArray("disagreements");
    v.disagreements().forEach(dis::add);
    j.put("report", cfg.out().resolve("report.md").toString()).put("seconds", r.seconds());
    ArrayNode rounds = j.putArray("rounds");
    r.firstHonestRecords().forEach((k, rec) -> {
      ObjectNode x = rounds.addObject();
      x.put("round", k).put("thetaHash", rec.thetaHash()).put("sealed", rec.fates().size());
      Double l = r.loss().get(k + 1);
      if (l != null) x.put("validationLoss", l);
      if (o.clean() != null && o.clean().loss().get(k + 1) != null) x.put("cleanValidationLoss", o.clean().loss().get(k + 1));
      if (r.roundMillis().get(k) != null) x.put("millis", r.roundMillis().get(k));
      if (r.overheadMillis().get(k) != null) x.put("overheadMillis", r.overheadMillis().get(k));
      ObjectNode fates = x.putObject("fates");
      for (RoundRecord.Fate f : rec.fates()) {
        TestnetResult.NodeInfo n = r.nodes().stream().filter(ni -> ni.peerId().equals(f.peer())).findFirst().orElse(null);
        fates.put(n == null ? f.peer() : n.label(), f.verdict().name().toLowerCase(java.util.Locale.ROOT));
      }
    });
    ArrayNode nodesJ = j.putArray("nodes");
    Map<String, Map<dev.weft.aggregation.Verdict, Integer>> counts = r.verdictCounts();
    for (TestnetResult.NodeInfo n : r.nodes()) {
      ObjectNode x = nodesJ.addObject();
      x.put("node", n.label()).put("peerId", n.peerId()).put("byzantine", n.byzantine())
          .put("roundBytesOut", n.roundBytesOut()).put("roundBytesIn", n.roundBytesIn())
          .put("checkpointBytesIn", n.checkpointBytesIn()).put("checkpointBytesOut", n.checkpointBytesOut());
      if (n.dashboard() != null) x.put("dashboard", n.dashboard());
      ObjectNode c = x.putObject("verdicts");
      counts.getOrDefault(n.label(), Map.of()).forEach((k, val) -> c.put(k.name().toLowerCase(java.util.Locale.ROOT), val));
    }
    if (cfg.churn() > 0) {
      ObjectNode c = j.putObject("churn");
      c.put("p", cfg.churn());
      var plan = Testnet.churnOf(cfg);
      ArrayNode ck = c.putArray("kills"), cj = c.putArray("rejoins");
      plan.kills().forEach(k -> ck.add(k.toString()));
      plan.joins().forEach(k -> cj.add(k.toString()));
    }
    ArrayNode parts = j.putArray("partitions");
    for (TestnetResult.PartitionInfo p : r.partitions()) {
      ObjectNode x = parts.addObject();
      x.put("round", p.round()).put("seconds", p.heldSeconds()).put("prediction", p.prediction());
      p.first().forEach(x.putArray("first")::add);
      p.second().forEach(x.putArray("second")::add);
      x.put("closed", p.closed()).put("crossAfterSplit", p.crossAfterSplit()).put("crossBeforeHeal", p.crossBeforeHeal()).put("refused", p.refused())
          .put("firstSideRounds", p.firstSideRounds()).put("secondSideRounds", p.secondSideRounds()).put("redialled", p.redialled()).put("pairs", p.pairs());
    }
    j.put("finalState", r.finalState().line()).put("finalStateAgrees", r.finalState().agree());
    ArrayNode checks = j.putArray("stateChecks");
    r.stateChecks().forEach(checks::add);
    ArrayNode ev = j.putArray("events");
    var bans = j.putArray("bans");
    for (TestnetResult.BanInfo b : r.bans()) bans.addObject().put("node", b.label()).put("round", b.round()).put("evidence", b.evidence());
    for (TestnetResult.Event e : r.events()) ev.addObject().put("round", e.round()).put("node", e.node()).put("kind", e.kind()).put("detail", e.detail());
    return j;
  }
}
