package dev.weft.testnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The testnet matrix: attacks × aggregation rules × Byzantine counts × churn levels, each cell a
 * whole {@link Testnet} run, compared with a clean run (same seed and rule, no attackers, no
 * churn). What the bench asks: final loss against the clean run, rounds lost, bytes per
 * node — so that a defence's claim ("centered clipping holds ALIE at f = 2 of 8") is one command.
 *
 * <p>Clean runs are shared: one per rule. A cell with f = 0 is the churn-only row (its attack is
 * shown as "none"). Every run is bounded by its own timeout; a run that does not finish is a row
 * that says so, not an abort of the matrix.
 */
public final class TestnetMatrix {
  private TestnetMatrix() {}

  /** Cells a matrix may have: each is a whole testnet run. */
  public static final int MAX_CELLS = 256;

  public record Spec(int nodes, List<Integer> byzantine, List<String> attacks, List<String> rules, List<Double> churn, int rounds, long seed,
      String model, long cutoffMillis, long timeoutMillis, Path out) {
    public Spec {
      byzantine = List.copyOf(byzantine);
      attacks = List.copyOf(attacks);
      rules = List.copyOf(rules);
      churn = List.copyOf(churn);
      if (byzantine.isEmpty() || attacks.isEmpty() || rules.isEmpty() || churn.isEmpty()) throw new IllegalArgumentException("every axis needs at least one value");
      for (int f : byzantine) if (f < 0 || f >= nodes) throw new IllegalArgumentException("--byzantine " + f + ": must be 0.." + (nodes - 1));
      for (double c : churn) if (!(c >= 0 && c < 1)) throw new IllegalArgumentException("--churn " + c + ": must be at least 0 and below 1");
      for (String a : attacks) Attacks.parse(a, java.util.Set.of(), 0);
      for (String r : rules) dev.weft.aggregation.Aggregators.parse(r);
      // Nodes, rounds, model and timing are checked as every cell's config checks them.
      new TestnetConfig(nodes, 0, attacks.get(0), List.of(), List.of(), rounds, seed, model, rules.get(0), null, false, false, cutoffMillis, timeoutMillis);
      if (cells(byzantine, attacks, rules, churn) > MAX_CELLS) {
        throw new IllegalArgumentException("the matrix has " + cells(byzantine, attacks, rules, churn) + " cells, at most " + MAX_CELLS + " (each is a whole testnet run)");
      }
    }

    public int cells() {
      return cells(byzantine, attacks, rules, churn);
    }

    private static int cells(List<Integer> byzantine, List<String> attacks, List<String> rules, List<Double> churn) {
      int withAttack = 0;
      for (int f : byzantine) withAttack += f == 0 ? 1 : attacks.size();
      return withAttack * rules.size() * churn.size();
    }

    TestnetConfig config(int f, String attack, String rule, double c, String folder) {
      return new TestnetConfig(nodes, f, attack, List.of(), List.of(), rounds, seed, model, rule, out == null ? null : out.resolve(folder), false, false,
          cutoffMillis, timeoutMillis, c, List.of());
    }
  }

  /**
   * One cell.
   *
   * @param gap relative gap of the final validation loss to the clean run's (NaN when either has none)
   * @param roundsLost rounds of the run no honest node applied
   * @param bytesPerHonest mean round-protocol bytes sent plus received per honest node
   * @param agreed honest nodes agreed on θ in every round and ended on one state
   */
  public record Row(String attack, String rule, int f, double churn, Double finalLoss, Double cleanLoss, double gap, long roundsLost,
      long bytesPerHonest, boolean agreed, boolean completed, int bans, double seconds) {}

  public static List<Row> run(Spec s, Consumer<String> say) throws Exception {
    Map<String, TestnetResult> clean = new HashMap<>();
    for (String rule : s.rules()) {
      say.accept("clean run, rule " + rule);
      clean.put(rule, Testnet.run(s.config(0, s.attacks().get(0), rule, 0, "clean-" + safe(rule)), line -> { }));
    }
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (double c : s.churn()) {
      for (int f : s.byzantine()) {
        for (String attack : f == 0 ? List.of(s.attacks().get(0)) : s.attacks()) {
          for (String rule : s.rules()) {
            n++;
            say.accept(String.format(Locale.ROOT, "cell %d/%d: f=%d %s, rule %s, churn %.2f", n, s.cells(), f, f == 0 ? "none" : attack, rule, c));
            TestnetResult r = Testnet.run(s.config(f, attack, rule, c, "cell-" + n), line -> { });
            rows.add(row(r, clean.get(rule), f == 0 ? "none" : attack, rule, f, c));
          }
        }
      }
    }
    return rows;
  }

  static Row row(TestnetResult r, TestnetResult clean, String attack, String rule, int f, double churn) {
    Verdicts v = Verdicts.of(r, clean);
    long bytes = 0;
    int honest = 0;
    for (TestnetResult.NodeInfo ni : r.nodes()) {
      if (ni.byzantine()) continue;
      honest++;
      bytes += ni.roundBytesOut() + ni.roundBytesIn();
    }
    boolean agreed = v.disagreements().isEmpty() && (r.finalState() == null || r.finalState().agree());
    return new Row(attack, rule, f, churn, r.finalLoss(), clean == null ? null : clean.finalLoss(), v.relativeGap(),
        Math.max(0, r.config().rounds() - r.roundsApplied()), honest == 0 ? 0 : bytes / honest, agreed, r.completed(), r.bans().size(), r.seconds());
  }

  /** The matrix as a markdown table, one row per cell. */
  public static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder("| f | attack | rule | churn | final loss | clean | gap | rounds lost | MiB per honest node | bans | agreed | s |\n");
    b.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %d | %s | %s | %.0f%% | %s | %s | %s | %d | %.1f | %d | %s | %.0f |%n", r.f(), r.attack(), r.rule(), 100 * r.churn(),
          num(r.finalLoss()), num(r.cleanLoss()), Double.isNaN(r.gap()) ? "–" : String.format(Locale.ROOT, "%+.1f%%", 100 * r.gap()),
          r.roundsLost(), r.bytesPerHonest() / 1048576.0, r.bans(), !r.completed() ? "did not finish" : r.agreed() ? "yes" : "**no**", r.seconds()));
    }
    return b.toString();
  }

  private static String num(Double d) {
    return d == null || d.isNaN() ? "–" : String.format(Locale.ROOT, "%.4f", d);
  }

  private static String safe(String rule) {
    return rule.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
