package dev.weft.testnet;

import dev.weft.testnet.TestnetConfig.NodeAt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code --churn P} as kills and rejoins: each round, each live node goes down with probability
 * P and comes back 1 or 2 rounds later (restarted from its directory, as {@code --join} does) —
 * unless that would leave a round with fewer live honest nodes than it needs, or collide with an
 * explicit {@code --kill}/{@code --join} of the same node.
 *
 * <p>What a round needs: its voters are the run's members voting by then (the first N from round
 * 0, each newcomer from the round it joins; {@code Testnet#members}), and the round protocol
 * certifies a round only with a quorum of them, q = n − ⌊(n−1)/3⌋ ({@code node/round/VoterSet});
 * a round also needs at least the aggregation rule's minimum of sealed contributions (fewer make it
 * a null round). Attackers may vote or not as they please, so only honest nodes count towards the
 * floor max(q, minInputs). A node counts as down from the round it is killed in through the round
 * it rejoins in (it is catching up then); explicit kills and joins count the same way, and where
 * they alone break the floor churn adds nothing more there.
 *
 * <p>Only the first N nodes churn (newcomers count as live once they joined, but are not taken
 * down: {@code --kill} takes none either). Kills fall in rounds 1 … rounds−2: round 0 has no state to restart from, and every kill needs
 * a rejoin in a later round within the run. A pure function of its arguments: the same seed gives
 * the same schedule, so a failed churn run is rerun exactly from its seed.
 */
public record ChurnSchedule(List<NodeAt> kills, List<NodeAt> joins) {
  /** Longest time down: a node is back after 1 … this many rounds. */
  public static final int MAX_DOWN_ROUNDS = 2;

  public ChurnSchedule {
    kills = List.copyOf(kills);
    joins = List.copyOf(joins);
  }

  public static final ChurnSchedule NONE = new ChurnSchedule(List.of(), List.of());

  /**
   * What the schedule is planned around.
   *
   * @param nodes N: nodes {@code 0 … N−1} run from round 0
   * @param byzantine the attackers' indices (they do not count towards the floor)
   * @param kills explicit kills, as {@code --kill} gives them
   * @param joins explicit joins; an index ≥ N is a newcomer, a voter from its join round on
   * @param minInputs fewest sealed contributions for a non-null round (the rule's minimum)
   */
  public record Scenario(int nodes, int rounds, Set<Integer> byzantine, List<NodeAt> kills, List<NodeAt> joins, int minInputs) {
    public Scenario {
      if (nodes < 1) throw new IllegalArgumentException("nodes must be positive: " + nodes);
      if (rounds < 1) throw new IllegalArgumentException("rounds must be positive: " + rounds);
      if (minInputs < 1) throw new IllegalArgumentException("minInputs must be positive: " + minInputs);
      byzantine = Set.copyOf(byzantine);
      kills = List.copyOf(kills);
      joins = List.copyOf(joins);
    }

    /** Every node the scenario ever runs: the first N and the newcomers. */
    TreeSet<Integer> everyNode() {
      TreeSet<Integer> all = new TreeSet<>();
      for (int i = 0; i < nodes; i++) all.add(i);
      for (NodeAt j : joins) all.add(j.node());
      return all;
    }

    /** Voters of round {@code r}: the first N and the newcomers that joined by then. */
    int voters(int r) {
      TreeMap<Integer, Integer> firstJoin = new TreeMap<>();
      for (NodeAt j : joins) if (j.node() >= nodes) firstJoin.merge(j.node(), j.round(), Math::min);
      int n = nodes;
      for (int from : firstJoin.values()) if (from <= r) n++;
      return n;
    }

    /** Live honest nodes round {@code r} needs: max(quorum of its voters, minInputs). */
    public int floor(int r) {
      return Math.max(quorum(voters(r)), minInputs);
    }
  }

  /** The round protocol's quorum of {@code n} voters: n − f with f = ⌊(n−1)/3⌋ ({@code VoterSet#quorum}). */
  public static int quorum(int n) {
    return n - (n - 1) / 3;
  }

  /**
   * Plans churn with probability {@code p} for {@code s} from {@code seed}. Every draw is made
   * whether or not it is used, so one node's constraints do not shift another's luck.
   */
  public static ChurnSchedule plan(Scenario s, double p, long seed) {
    TestnetConfig.checkChurn(p);
    if (p == 0) return NONE;
    Random rng = new Random(seed ^ 0x6368_7572_6e5eL); // "churn": the node keys use the plain seed
    Down down = Down.of(s, s.kills(), s.joins());
    List<NodeAt> kills = new ArrayList<>(), joins = new ArrayList<>();
    for (int r = 1; r <= s.rounds() - 2; r++) {
      for (int node = 0; node < s.nodes(); node++) {
        double u = rng.nextDouble();
        int back = Math.min(s.rounds() - 1, r + 1 + rng.nextInt(MAX_DOWN_ROUNDS));
        if (u >= p || !down.upThroughout(node, r, back)) continue;
        if (!s.byzantine().contains(node) && !down.honestMaySpare(s, r, back)) continue;
        down.add(node, r, back);
        kills.add(new NodeAt(node, r));
        joins.add(new NodeAt(node, back));
      }
    }
    return new ChurnSchedule(kills, joins);
  }

  /** The explicit kills with these added, in round then node order. */
  public List<NodeAt> mergedKills(List<NodeAt> explicit) {
    return merged(explicit, kills);
  }

  public List<NodeAt> mergedJoins(List<NodeAt> explicit) {
    return merged(explicit, joins);
  }

  private static List<NodeAt> merged(List<NodeAt> a, List<NodeAt> b) {
    List<NodeAt> out = new ArrayList<>(a);
    out.addAll(b);
    out.sort(Comparator.comparingInt(NodeAt::round).thenComparingInt(NodeAt::node));
    return List.copyOf(out);
  }

  /** Live honest nodes in each round 0 … rounds−1 under these kills and joins (the floor's measure; tests check it). */
  public static int[] honestLive(Scenario s, List<NodeAt> kills, List<NodeAt> joins) {
    Down d = Down.of(s, kills, joins);
    int[] out = new int[s.rounds()];
    for (int r = 0; r < s.rounds(); r++) out[r] = d.honestLive(s, r);
    return out;
  }

  /** Each node's down intervals [from, to], inclusive. */
  private record Down(TreeMap<Integer, List<int[]>> intervals) {
    static Down of(Scenario s, List<NodeAt> kills, List<NodeAt> joins) {
      Down d = new Down(new TreeMap<>());
      for (int node : s.everyNode()) {
        List<Integer> k = new ArrayList<>(), j = new ArrayList<>();
        for (NodeAt x : kills) if (x.node() == node) k.add(x.round());
        for (NodeAt x : joins) if (x.node() == node) j.add(x.round());
        k.sort(null);
        j.sort(null);
        // A newcomer is down until it first joins; each kill lasts until the next join after it.
        if (node >= s.nodes()) d.add(node, 0, j.isEmpty() ? s.rounds() - 1 : j.get(0));
        for (int from : k) {
          int to = s.rounds() - 1;
          for (int x : j) {
            if (x > from) {
              to = x;
              break;
            }
          }
          d.add(node, from, to);
        }
      }
      return d;
    }

    void add(int node, int from, int to) {
      intervals.computeIfAbsent(node, n -> new ArrayList<>()).add(new int[] {from, to});
    }

    boolean isDown(int node, int r) {
      for (int[] i : intervals.getOrDefault(node, List.of())) if (i[0] <= r && r <= i[1]) return true;
      return false;
    }

    /** Up in every round from {@code from} to {@code to}, and not down in the round before (so running when killed). */
    boolean upThroughout(int node, int from, int to) {
      for (int r = from - 1; r <= to; r++) if (isDown(node, r)) return false;
      return true;
    }

    int honestLive(Scenario s, int r) {
      int n = 0;
      for (int node : s.everyNode()) if (!s.byzantine().contains(node) && !isDown(node, r)) n++;
      return n;
    }

    /** Whether one more honest node down in rounds {@code from … to} keeps each of them at its floor. */
    boolean honestMaySpare(Scenario s, int from, int to) {
      for (int r = from; r <= to; r++) if (honestLive(s, r) - 1 < s.floor(r)) return false;
      return true;
    }
  }
}
