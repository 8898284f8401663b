package dev.weft.aggregation.bench;

import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Bucketing;
import dev.weft.aggregation.CenteredClip;
import dev.weft.aggregation.CoordinateMedian;
import dev.weft.aggregation.GeometricMedian;
import dev.weft.aggregation.Krum;
import dev.weft.aggregation.Mean;
import dev.weft.aggregation.NormClipping;
import dev.weft.aggregation.TrimmedMean;
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

  /** The rules compared, each configured for f_max. */
  public static List<Aggregator> rules() {
    return List.of(
        new Mean(),
        new CoordinateMedian(),
        new TrimmedMean(0.25),
        Krum.krum(F_MAX),
        Krum.multiKrum(F_MAX),
        new GeometricMedian(),
        new NormClipping(),
        new CenteredClip(),
        new Bucketing(2, new CenteredClip(), 0),
        new Bucketing(2, new GeometricMedian(), 0));
  }

  /** The attacks compared. */
  public static List<Attack> attacks() {
    return List.of(
        new Attack.SignFlip(1),
        new Attack.Scaling(-100),
        new Attack.GaussianNoise(10),
        Attack.Alie.auto(),
        new Attack.Ipm(0.1),
        new Attack.FreeRider(false),
        new Attack.FreeRider(true),
        new Attack.Mimic(0));
  }

  /** Mean accuracy over seeds 1..seeds. */
  public static double accuracy(
      Aggregator rule, Attack attack, int f, Codec codec, int seeds, int rounds) {
    double sum = 0;
    for (int s = 1; s <= seeds; s++) {
      var cfg = DiLoCoSimulation.Config.standard(f, s).withRounds(rounds);
      sum += DiLoCoSimulation.run(cfg, rule, attack, codec).testAccuracy();
    }
    return sum / seeds;
  }

  /** Writes one markdown table (rules × attacks) for {@code codec} (null: uncompressed). */
  public static void table(PrintStream out, Codec codec, int seeds, int rounds) {
    List<Attack> attacks = attacks();
    StringBuilder head = new StringBuilder("| rule | f=0 |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Attack a : attacks) {
      head.append(' ').append(a.name()).append(" f=2 / f=4 |");
      rule.append("---|");
    }
    out.println(head);
    out.println(rule);
    for (Aggregator r : rules()) {
      StringBuilder row = new StringBuilder("| ").append(r.name()).append(" | ");
      row.append(fmt(accuracy(r, new Attack.None(), 0, codec, seeds, rounds))).append(" |");
      for (Attack a : attacks) {
        row.append(' ');
        for (int i = 0; i < FS.length; i++) {
          if (i > 0) row.append(" / ");
          row.append(fmt(accuracy(r, a, FS[i], codec, seeds, rounds)));
        }
        row.append(" |");
      }
      out.println(row);
      out.flush();
    }
  }

  private static String fmt(double acc) {
    return String.format(Locale.ROOT, "%.2f", acc);
  }

  public static void main(String[] args) {
    int seeds = 3;
    int rounds = DiLoCoSimulation.Config.standard(0, 1).rounds();
    List<Codec> codecs = new ArrayList<>(List.of(Codecs.parse("int8"), Codecs.parse("topk:0.1")));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--codecs" -> {
          codecs.clear();
          for (String c : args[++i].split(",")) if (!c.isBlank()) codecs.add(Codecs.parse(c));
        }
        case "--help", "-h" -> {
          System.out.println("usage: RobustnessTable [--seeds N] [--rounds R] [--codecs int8,topk:0.1,...]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(System.out, seeds, rounds, codecs);
  }

  /** Prints the whole report: reference, the uncompressed table, one table per codec. */
  public static void run(PrintStream out, int seeds, int rounds, List<Codec> codecs) {
    double reference = accuracy(new Mean(), new Attack.None(), 0, null, seeds, rounds);
    out.printf(Locale.ROOT,
        "Softmax regression, 10 classes, non-IID (90%% of each worker's samples from 2 classes), n=%d,"
            + " %d rounds x 10 local SGD steps, outer Nesterov (lr 0.7, momentum 0.9); mean test accuracy"
            + " over %d seeds. Reference (mean, no attackers): %s.%n%n",
        N, rounds, seeds, fmt(reference));
    out.println("### Uncompressed");
    out.println();
    table(out, null, seeds, rounds);
    for (Codec c : codecs) {
      out.println();
      out.println("### Codec " + c.name() + " (honest workers with error feedback)");
      out.println();
      table(out, c, seeds, rounds);
    }
  }
}
