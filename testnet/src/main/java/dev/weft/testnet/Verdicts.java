package dev.weft.testnet;

import dev.weft.aggregation.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line verdict of a run against its clean twin, and the numbers behind it: the final
 * validation loss gap, whether honest nodes agreed on θ every round, and each attacker's fate.
 */
public record Verdicts(double finalLoss, double cleanLoss, double relativeGap, List<Long> disagreements, List<String> attackerLines, List<Long> emptyRounds,
    boolean trained, String line) {
  /**
   * A run within this fraction of the clean run's final loss "converged". The clean run has all N
   * nodes honest and none killed, so even a perfect defence trails it by the lost contributions.
   */
  public static final double CONVERGED = 0.10;

  public static Verdicts of(TestnetResult r, TestnetResult clean) {
    double fin = r.finalLoss() == null ? Double.NaN : r.finalLoss();
    double cl = clean == null || clean.finalLoss() == null ? Double.NaN : clean.finalLoss();
    double gap = (fin - cl) / cl;
    List<String> attackers = new ArrayList<>();
    Map<String, Map<Verdict, Integer>> counts = r.verdictCounts();
    for (TestnetResult.NodeInfo n : r.nodes()) {
      if (!n.byzantine()) continue;
      Map<Verdict, Integer> c = counts.getOrDefault(n.label(), Map.of());
      int sealed = c.values().stream().mapToInt(Integer::intValue).sum();
      int down = c.getOrDefault(Verdict.DOWNWEIGHTED, 0), rej = c.getOrDefault(Verdict.REJECTED, 0);
      attackers.add(String.format(Locale.ROOT, "attacker %s down-weighted in %d and rejected in %d of the %d rounds it was sealed in", n.label(), down, rej, sealed));
    }
    StringBuilder s = new StringBuilder();
    if (!r.completed()) s.append("did not finish (").append(r.failure()).append("); ");
    if (Double.isNaN(cl)) s.append(String.format(Locale.ROOT, "final validation loss %.4f (no clean run)", fin));
    else if (Math.abs(gap) <= CONVERGED || gap < 0) s.append(String.format(Locale.ROOT, "converged within %.1f%% of the clean run", 100 * Math.abs(gap)));
    else s.append(String.format(Locale.ROOT, "ended %.1f%% above the clean run's loss", 100 * gap));
    // A round sealed with no contribution leaves θ where it was: agreement on it says nothing, so a
    // run that sealed only such rounds did not train (contributions that never reached the voters).
    List<Long> empty = new ArrayList<>();
    r.firstHonestRecords().forEach((round, rec) -> {
      if (rec.fates().isEmpty()) empty.add(round);
    });
    // trained: some round included a contribution (a run of empty rounds agrees on an untrained θ).
    boolean trained = r.firstHonestRecords().isEmpty() || empty.size() < r.firstHonestRecords().size();
    if (!trained) s.append("; DID NOT TRAIN: no round included a contribution");
    else if (!empty.isEmpty()) s.append("; ").append(empty.size()).append(empty.size() == 1 ? " round" : " rounds").append(" sealed with no contribution ").append(empty);
    List<Long> dis = r.disagreements();
    s.append(dis.isEmpty() ? "; honest nodes agreed on θ in every round" : "; honest nodes DISAGREED on θ in rounds " + dis);
    if (r.finalState() != null && !r.finalState().agree() && r.completed()) s.append("; ").append(r.finalState().line());
    List<TestnetResult.BanInfo> bans = r.bans();
    if (!bans.isEmpty()) {
      List<String> who = new ArrayList<>();
      for (TestnetResult.BanInfo b : bans) who.add(b.label() + " at round " + b.round());
      s.append("; ").append(bans.size()).append(bans.size() == 1 ? " peer" : " peers").append(" banned on certified evidence (").append(String.join(", ", who)).append(")");
    }
    for (String a : attackers) s.append("; ").append(a);
    return new Verdicts(fin, cl, gap, dis, attackers, List.copyOf(empty), trained, s.toString());
  }
}
