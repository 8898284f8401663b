package dev.weft.testnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One testnet scenario. Nodes are {@code node-0 … node-(N−1)}; the last {@code byzantine} of them
 * are attackers. Rounds are numbered from 0; {@code kill node-3@4} stops node-3 when the network
 * starts round 4 (mid-round for it), {@code join node-3@6} starts it again from its directory
 * when the network starts round 6 (a node index ≥ N is a new volunteer joining late).
 *
 * @param timeoutMillis the whole scenario (each run) must finish within this
 * @param churn each round, each live node goes down with this probability and comes back 1–2
 *     rounds later, as {@link ChurnSchedule} plans it (0: none)
 * @param partitions network splits, each at the start of a round for some seconds of wall time
 */
public record TestnetConfig(int nodes, int byzantine, String attack, List<NodeAt> kills, List<NodeAt> joins, int rounds, long seed,
    String model, String aggregator, Path out, boolean dashboard, boolean cleanRun, long cutoffMillis, long timeoutMillis,
    double churn, List<PartitionAt> partitions) {
  public static final int MAX_NODES = 64;
  /** Longest partition: a split that outlives every view timeout tests nothing more. */
  public static final int MAX_PARTITION_SECONDS = 3_600;

  /** A scenario without churn or partitions. */
  public TestnetConfig(int nodes, int byzantine, String attack, List<NodeAt> kills, List<NodeAt> joins, int rounds, long seed,
      String model, String aggregator, Path out, boolean dashboard, boolean cleanRun, long cutoffMillis, long timeoutMillis) {
    this(nodes, byzantine, attack, kills, joins, rounds, seed, model, aggregator, out, dashboard, cleanRun, cutoffMillis, timeoutMillis, 0, List.of());
  }

  public TestnetConfig {
    if (nodes < 1 || nodes > MAX_NODES) throw new IllegalArgumentException("--nodes must be 1.." + MAX_NODES + ": " + nodes);
    if (byzantine < 0 || byzantine >= nodes) throw new IllegalArgumentException("--byzantine must be 0.." + (nodes - 1) + ": " + byzantine);
    if (rounds < 1 || rounds > 10_000) throw new IllegalArgumentException("--rounds must be 1..10000: " + rounds);
    if (cutoffMillis < 100) throw new IllegalArgumentException("cut-off must be at least 100 ms");
    if (timeoutMillis < 1_000) throw new IllegalArgumentException("timeout must be at least 1 s");
    kills = List.copyOf(kills);
    joins = List.copyOf(joins);
    for (NodeAt k : kills) {
      if (k.node() >= nodes) throw new IllegalArgumentException("--kill " + k + ": no such node (there are " + nodes + ")");
      if (k.round() < 1 || k.round() >= rounds) throw new IllegalArgumentException("--kill " + k + ": round must be 1.." + (rounds - 1));
    }
    for (NodeAt j : joins) {
      if (j.round() < 1 || j.round() >= rounds) throw new IllegalArgumentException("--join " + j + ": round must be 1.." + (rounds - 1));
      if (j.node() < nodes) {
        boolean killedBefore = kills.stream().anyMatch(k -> k.node() == j.node() && k.round() < j.round());
        if (!killedBefore) throw new IllegalArgumentException("--join " + j + ": node-" + j.node() + " is running then (kill it earlier, or join a new node >= " + nodes + ")");
      }
      if (j.node() >= MAX_NODES) throw new IllegalArgumentException("--join " + j + ": node index over " + MAX_NODES);
    }
    checkChurn(churn);
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    checkPartitions(partitions, nodes, rounds);
    if (attack == null || attack.isBlank()) attack = "signflip";
    Attacks.parse(attack, java.util.Set.of(), 0); // validates the name
    dev.weft.aggregation.Aggregators.parse(aggregator);
    dev.weft.node.train.ModelSpecs.parse(model);
  }

  /** The scenario with the same seed and nodes but no attackers, kills, joins, churn or partitions. */
  public TestnetConfig clean() {
    return new TestnetConfig(nodes, 0, attack, List.of(), List.of(), rounds, seed, model, aggregator, out, false, false, cutoffMillis, timeoutMillis);
  }

  public TestnetConfig withAggregator(String rule) {
    return new TestnetConfig(nodes, byzantine, attack, kills, joins, rounds, seed, model, rule, out, dashboard, cleanRun, cutoffMillis, timeoutMillis,
        churn, partitions);
  }

  public TestnetConfig withChurn(double p) {
    return new TestnetConfig(nodes, byzantine, attack, kills, joins, rounds, seed, model, aggregator, out, dashboard, cleanRun, cutoffMillis, timeoutMillis,
        p, partitions);
  }

  public TestnetConfig withPartitions(List<PartitionAt> list) {
    return new TestnetConfig(nodes, byzantine, attack, kills, joins, rounds, seed, model, aggregator, out, dashboard, cleanRun, cutoffMillis, timeoutMillis,
        churn, list);
  }

  /** Whether nothing but honest nodes running undisturbed happens: the clean twin's shape. */
  public boolean isClean() {
    return byzantine == 0 && kills.isEmpty() && joins.isEmpty() && churn == 0 && partitions.isEmpty() && !dashboard;
  }

  /** {@code --churn}: a probability in [0, 1) (1 would take every node down every round). */
  public static void checkChurn(double p) {
    if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("--churn must be at least 0 and below 1: " + p);
  }

  /** {@code --partition}s against the scenario: rounds within the run, at most one per round, a cut that leaves both sides a node. */
  public static void checkPartitions(List<PartitionAt> partitions, int nodes, int rounds) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (PartitionAt p : partitions) {
      if (p.round() >= rounds) throw new IllegalArgumentException("--partition " + p + ": round must be 0.." + (rounds - 1));
      if (p.cut() >= nodes) throw new IllegalArgumentException("--partition " + p + ": cutting off " + p.cut() + " of " + nodes + " nodes leaves the other side empty");
      if (nodes < 2) throw new IllegalArgumentException("--partition " + p + ": a partition needs at least 2 nodes");
      if (!seen.add(p.round())) throw new IllegalArgumentException("--partition " + p + ": a second partition at round " + p.round());
    }
  }

  public boolean isByzantine(int node) {
    return node < nodes && node >= nodes - byzantine;
  }

  /**
   * {@code ROUND:SECONDS[:CUT]}: at the start of network round ROUND the live nodes are split in
   * two for SECONDS of wall time; the last CUT live nodes by index form the second side (default
   * ⌊live/2⌋, so the first side has ⌈live/2⌉). {@code cut} is 0 for the default.
   */
  public record PartitionAt(int round, int seconds, int cut) {
    public PartitionAt {
      if (round < 0) throw new IllegalArgumentException("partition round must be >= 0: " + round);
      if (seconds < 1 || seconds > MAX_PARTITION_SECONDS) throw new IllegalArgumentException("partition seconds must be 1.." + MAX_PARTITION_SECONDS + ": " + seconds);
      if (cut < 0) throw new IllegalArgumentException("partition cut must be >= 1: " + cut);
    }

    public static PartitionAt parse(String text) {
      String t = text.trim();
      String[] f = t.split(":", -1);
      String usage = "'" + text + "' is not ROUND:SECONDS[:CUT] (e.g. 2:15, or 2:15:1 to cut off one node)";
      if (f.length < 2 || f.length > 3) throw new IllegalArgumentException(usage);
      int round, seconds, cut;
      try {
        round = Integer.parseInt(f[0]);
        seconds = Integer.parseInt(f[1]);
        cut = f.length == 3 ? Integer.parseInt(f[2]) : 0;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(usage);
      }
      if (round < 0) throw new IllegalArgumentException("'" + text + "': the round must be >= 0");
      if (seconds < 1 || seconds > MAX_PARTITION_SECONDS) throw new IllegalArgumentException("'" + text + "': the seconds must be 1.." + MAX_PARTITION_SECONDS);
      if (f.length == 3 && cut < 1) throw new IllegalArgumentException("'" + text + "': the cut must be at least 1 node");
      return new PartitionAt(round, seconds, cut);
    }

    /** The size of the second side among {@code live} nodes: the cut, at most live − 1. */
    public int secondSide(int live) {
      return Math.min(live - 1, cut == 0 ? live / 2 : cut);
    }

    @Override public String toString() {
      return round + ":" + seconds + (cut == 0 ? "" : ":" + cut);
    }
  }

  /** {@code node-3@4} or {@code 3@4}. */
  public record NodeAt(int node, int round) {
    public static NodeAt parse(String text) {
      String t = text.trim();
      int at = t.indexOf('@');
      if (at < 0) throw new IllegalArgumentException("'" + text + "' is not NODE@ROUND (e.g. node-3@4)");
      String n = t.substring(0, at);
      if (n.startsWith("node-")) n = n.substring(5);
      try {
        int node = Integer.parseInt(n), round = Integer.parseInt(t.substring(at + 1));
        if (node < 0 || round < 0) throw new NumberFormatException();
        return new NodeAt(node, round);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not NODE@ROUND (e.g. node-3@4)");
      }
    }

    public static List<NodeAt> parseAll(List<String> texts) {
      List<NodeAt> out = new ArrayList<>();
      if (texts != null) for (String s : texts) for (String part : s.split(",")) if (!part.isBlank()) out.add(parse(part));
      return out;
    }

    @Override public String toString() {
      return "node-" + node + "@" + round;
    }
  }
}
