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
 */
public record TestnetConfig(int nodes, int byzantine, String attack, List<NodeAt> kills, List<NodeAt> joins, int rounds, long seed,
    String model, String aggregator, Path out, boolean dashboard, boolean cleanRun, long cutoffMillis, long timeoutMillis) {
  public static final int MAX_NODES = 64;

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
    if (attack == null || attack.isBlank()) attack = "signflip";
    Attacks.parse(attack, java.util.Set.of(), 0); // validates the name
    dev.weft.aggregation.Aggregators.parse(aggregator);
    dev.weft.node.train.ModelSpecs.parse(model);
  }

  /** The scenario with the same seed and nodes but no attackers, kills or joins. */
  public TestnetConfig clean() {
    return new TestnetConfig(nodes, 0, attack, List.of(), List.of(), rounds, seed, model, aggregator, out, false, false, cutoffMillis, timeoutMillis);
  }

  public TestnetConfig withAggregator(String rule) {
    return new TestnetConfig(nodes, byzantine, attack, kills, joins, rounds, seed, model, rule, out, dashboard, cleanRun, cutoffMillis, timeoutMillis);
  }

  public boolean isByzantine(int node) {
    return node < nodes && node >= nodes - byzantine;
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
