package dev.weft.testnet;

import dev.weft.aggregation.Verdict;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.runtime.RunSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything one testnet run observed, and the checks computed from it.
 *
 * @param loss validation loss of the honest θ after each round (key r+1; key 0 is the initial θ)
 * @param roundMillis wall time of each round: from the first node applying the previous round (or
 *     the start) to the last live honest node applying this one
 * @param overheadMillis round overhead beyond training: from the last contribution published to the
 *     last live honest node applying the round
 * @param partitions each {@code --partition} as it happened
 * @param finalState whether the live honest nodes ended on one round and θ
 */
public record TestnetResult(TestnetConfig config, RunSpec spec, List<NodeInfo> nodes, List<RoundRecord> records, List<Event> events,
    TreeMap<Long, Double> loss, TreeMap<Long, Long> roundMillis, TreeMap<Long, Long> overheadMillis, boolean completed, String failure,
    List<String> stateChecks, double seconds, List<PartitionInfo> partitions, FinalState finalState) {
  public TestnetResult {
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
  }

  /** The live honest nodes' last applied round and θ: {@code agree} when they are one state. */
  public record FinalState(boolean agree, int nodes, long round, String thetaHash, String line) {}

  /**
   * One partition: the two sides, what the round protocol was expected to do on each, and what
   * happened.
   *
   * @param closed connections between the sides the hosts closed when the split began
   * @param crossAfterSplit connections between the sides still open once those closed (must be 0)
   * @param crossBeforeHeal connections between the sides open just before the heal (must be 0:
   *     none formed while split)
   * @param refused dials and connections the gaters refused while split
   * @param firstSideRounds rounds the first side applied while split; {@code secondSideRounds} the second's
   * @param redialled cross-side dials made at the heal that connected, of {@code pairs}
   * @param heldSeconds how long the split lasted
   */
  public record PartitionInfo(long round, List<String> first, List<String> second, String prediction, int closed, int crossAfterSplit,
      int crossBeforeHeal, long refused, long firstSideRounds, long secondSideRounds, int redialled, int pairs, double heldSeconds) {}

  /** One node over its life (all its incarnations). */
  public record NodeInfo(String label, String peerId, boolean byzantine, long roundBytesOut, long roundBytesIn, long checkpointBytesOut,
      long checkpointBytesIn, long crdtBytesOut, long crdtBytesIn, String dashboard) {}

  /** A kill, join, rejoin, catch-up, partition or heal. */
  public record Event(long round, String node, String kind, String detail) {}

  public NodeInfo node(String label) {
    for (NodeInfo n : nodes) if (n.label().equals(label)) return n;
    return null;
  }

  public Set<String> byzantinePeers() {
    Set<String> s = new HashSet<>();
    for (NodeInfo n : nodes) if (n.byzantine()) s.add(n.peerId());
    return s;
  }

  public boolean isHonest(String label) {
    NodeInfo n = node(label);
    return n != null && !n.byzantine();
  }

  /** Rounds whose honest records do not all carry one θ hash (empty: honest peers agreed every round). */
  public List<Long> disagreements() {
    Map<Long, Set<String>> hashes = new TreeMap<>();
    for (RoundRecord r : records) if (isHonest(r.node())) hashes.computeIfAbsent(r.round(), k -> new HashSet<>()).add(r.thetaHash());
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, Set<String>> e : hashes.entrySet()) if (e.getValue().size() > 1) out.add(e.getKey());
    return out;
  }

  /** Rounds applied by at least one honest node. */
  public long roundsApplied() {
    return records.stream().filter(r -> isHonest(r.node())).mapToLong(RoundRecord::round).distinct().count();
  }

  /** Per peer label: rounds in which some honest node's aggregation gave it each verdict (from the first honest record of each round). */
  public Map<String, Map<Verdict, Integer>> verdictCounts() {
    Map<String, String> labelOf = new HashMap<>();
    for (NodeInfo n : nodes) labelOf.put(n.peerId(), n.label());
    Map<Long, RoundRecord> first = firstHonestRecords();
    Map<String, Map<Verdict, Integer>> out = new TreeMap<>();
    for (RoundRecord r : first.values()) {
      for (RoundRecord.Fate f : r.fates()) {
        String label = labelOf.getOrDefault(f.peer(), f.peer());
        out.computeIfAbsent(label, k -> new java.util.EnumMap<>(Verdict.class)).merge(f.verdict(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** The first honest node's record of each round. */
  public TreeMap<Long, RoundRecord> firstHonestRecords() {
    TreeMap<Long, RoundRecord> first = new TreeMap<>();
    for (RoundRecord r : records) if (isHonest(r.node())) first.putIfAbsent(r.round(), r);
    return first;
  }

  /** A certified ban as the honest nodes applied it: the node's label, the round and the evidence. */
  public record BanInfo(String label, long round, String evidence) {}

  /** Bans from the first honest record of each round. */
  public List<BanInfo> bans() {
    Map<String, String> labelOf = new HashMap<>();
    for (NodeInfo n : nodes) labelOf.put(n.peerId(), n.label());
    List<BanInfo> out = new ArrayList<>();
    for (RoundRecord r : firstHonestRecords().values()) {
      for (RoundRecord.Ban b : r.banned()) out.add(new BanInfo(labelOf.getOrDefault(b.peer(), b.peer()), r.round(), b.evidence()));
    }
    return out;
  }

  public Double finalLoss() {
    return loss.isEmpty() ? null : loss.lastEntry().getValue();
  }
}
