package dev.weft.aggregation.bench;

import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.Mean;
import dev.weft.aggregation.attack.Attack;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.sim.DiLoCoSimulation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the robustness table: final test accuracy of {@link DiLoCoSimulation} for every rule ×
 * attack with n = 16 and f ∈ {0, 2, 4}, averaged over seeds, as markdown; then the same with codecs.
 * Rules are configured for f_max = 4 (25%), as a run manifest would fix them without knowing how
 * many attackers show up.
 *
 * <p>Usage: {@code java -cp ... dev.weft.aggregation.bench.RobustnessTable [--seeds N] [--rounds R]
 * [--codecs int8,topk:0.1]}
 */
public final class RobustnessTable {
  public static final int N = 16;
  public static final int F_MAX = 4;
  public static final int[] FS = {2, 4};

  private RobustnessTable() {}

  /** The rules compared, each configured for f_max (specs as in {@link Aggregators#parse}). */
  public static final List<String> RULE_SPECS = List.of(
      "mean",
      "median",
      "trimmed-mean:0.25",
      "krum:4",
      "multi-krum:4",
      "geometric-median",
      "norm-clip",
      "centered-clip",
      "centered-clip-prev",
      "bucketing:2:centered-clip",
      "bucketing:2:median",
      "bucketing:2:krum:2",
      "nnm:4:centered-clip",
      "nnm:4:trimmed-mean:0.25",
      "nnm:4:krum:4");

  public static List<Aggregator> rules() {
    return RULE_SPECS.stream().map(Aggregators::parse).toList();
  }

  /** The attacks compared; the last two act in the compressed domain when the run has that codec. */
  public static List<Attack> attacks() {
    return List.of(
        new Attack.SignFlip(1),
        new Attack.Scaling(-10),
        new Attack.Scaling(100),
        new Attack.GaussianNoise(10),
        Attack.Alie.auto(),
        new Attack.Ipm(0.1),
        new Attack.Ipm(100),
        new Attack.FreeRider(false),
        new Attack.FreeRider(true),
        new Attack.MimicTop(),
        new Attack.ClipAdaptive(0.99),
        new Attack.Int8Scale(1e4),
        new Attack.TopKIndices(0.1, 10));
  }

  /** Mean accuracy over seeds 1..seeds, non-IID. */
  public static double accuracy(
      Aggregator rule, Attack attack, int f, Codec codec, int seeds, int rounds) {
    return accuracy(rule, attack, f, codec, seeds, rounds, DiLoCoSimulation.NON_IID_SKEW);
  }

  /** Mean accuracy over seeds 1..seeds with the given data skew (0: IID). */
  public static double accuracy(
      Aggregator rule, Attack attack, int f, Codec codec, int seeds, int rounds, double skew) {
    double sum = 0;
    for (int s = 1; s <= seeds; s++) {
      var cfg = DiLoCoSimulation.Config.standard(f, s).withRounds(rounds).withSkew(skew);
      sum += DiLoCoSimulation.run(cfg, rule, attack, codec).testAccuracy();
    }
    return sum / seeds;
  }

  /** Writes one non-IID markdown table (rules × attacks) for {@code codec} (null: uncompressed). */
  public static void table(PrintStream out, Codec codec, int seeds, int rounds) {
    table(out, codec, seeds, rounds, DiLoCoSimulation.NON_IID_SKEW, 1);
  }

  /**
   * Writes one markdown table: a row per rule, f = 0, then f=2 / f=4 under every attack, and the
   * worst cell at f = 4. Cells run on {@code threads} threads; the numbers do not depend on it.
   */
  public static void table(PrintStream out, Codec codec, int seeds, int rounds, double skew, int threads) {
    List<Attack> attacks = attacks();
    List<Aggregator> rules = rules();
    StringBuilder head = new StringBuilder("| rule | f=0 |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Attack a : attacks) {
      head.append(' ').append(a.name()).append(" f=2 / f=4 |");
      rule.append("---|");
    }
    head.append(" worst f=4 |");
    rule.append("---|");
    out.println(head);
    out.println(rule);
    int cols = 1 + 2 * attacks.size();
    double[][] cells = new double[rules.size()][cols];
    List<int[]> jobs = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) for (int c = 0; c < cols; c++) jobs.add(new int[] {r, c});
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
    try {
      pool.submit(() -> jobs.parallelStream().forEach(j -> {
        int c = j[1];
        Attack a = c == 0 ? new Attack.None() : attacks.get((c - 1) / 2);
        int f = c == 0 ? 0 : FS[(c - 1) % 2];
        cells[j[0]][c] = accuracy(rules.get(j[0]), a, f, codec, seeds, rounds, skew);
      })).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
    for (int r = 0; r < rules.size(); r++) {
      StringBuilder row = new StringBuilder("| ").append(RULE_SPECS.get(r)).append(" | ");
      row.append(fmt(cells[r][0])).append(" |");
      double worst = 1;
      for (int a = 0; a < attacks.size(); a++) {
        row.append(' ').append(fmt(cells[r][1 + 2 * a])).append(" / ").append(fmt(cells[r][2 + 2 * a])).append(" |");
        worst = Math.min(worst, cells[r][2 + 2 * a]);
      }
      row.append(' ').append(fmt(worst)).append(" |");
      out.println(row);
    }
    out.flush();
  }

  private static String fmt(double acc) {
    return String.format(Locale.ROOT, "%.2f", acc);
  }

  public static void main(String[] args) {
    int seeds = 3;
    int threads = Runtime.getRuntime().availableProcessors();
    boolean iid = true;
    int rounds = DiLoCoSimulation.Config.standard(0, 1).rounds();
    List<Codec> codecs = new ArrayList<>(List.of(Codecs.parse("int8"), Codecs.parse("topk:0.1")));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--no-iid" -> iid = false;
        case "--codecs" -> {
          codecs.clear();
          for (String c : args[++i].split(",")) if (!c.isBlank() && !c.equals("none")) codecs.add(Codecs.parse(c));
        }
        case "--help", "-h" -> {
          System.out.println("usage: RobustnessTable [--seeds N] [--rounds R] [--threads T] [--no-iid] [--codecs int8,topk:0.1,...|none]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(System.out, seeds, rounds, codecs, iid, threads);
  }

  /** Prints the whole report (non-IID and IID uncompressed, then one non-IID table per codec). */
  public static void run(PrintStream out, int seeds, int rounds, List<Codec> codecs) {
    run(out, seeds, rounds, codecs, true, Runtime.getRuntime().availableProcessors());
  }

  public static void run(PrintStream out, int seeds, int rounds, List<Codec> codecs, boolean iid, int threads) {
    double reference = accuracy(new Mean(), new Attack.None(), 0, null, seeds, rounds);
    out.printf(Locale.ROOT,
        "Softmax regression, 10 classes, n=%d, %d rounds x 10 local SGD steps, outer Nesterov (lr 0.7, momentum 0.9),"
            + " through the shared round step; mean test accuracy over %d seeds. Attackers train on their own data, see"
            + " every honest update, the rule and its parameters. Reference (mean, no attackers, non-IID): %s.%n%n",
        N, rounds, seeds, fmt(reference));
    out.println("### Non-IID (90% of each worker's samples from 2 classes), uncompressed");
    out.println();
    table(out, null, seeds, rounds, DiLoCoSimulation.NON_IID_SKEW, threads);
    if (iid) {
      out.println();
      out.println("### IID, uncompressed");
      out.println();
      table(out, null, seeds, rounds, 0, threads);
    }
    for (Codec c : codecs) {
      out.println();
      out.println("### Non-IID, codec " + c.name() + " (honest workers with error feedback)");
      out.println();
      table(out, c, seeds, rounds, DiLoCoSimulation.NON_IID_SKEW, threads);
    }
  }
}
