package dev.weft.aggregation.bench;

import dev.weft.aggregation.AggregationInput;
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.CenteredClip;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.CoordinateMedian;
import dev.weft.aggregation.Krum;
import dev.weft.aggregation.Mean;
import dev.weft.aggregation.TrimmedMean;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.MalformedUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the aggregators and codecs in GB/s of input (n·d·4 bytes), next to a STREAM-like
 * copy of the same arrays measured in the same run with the same threads (re-measured before each
 * kernel, best kept). Kernels are warmed up on small inputs first. Prints markdown. Each figure is
 * the best of {@code --reps} runs (Krum: one run).
 *
 * <p>Usage: {@code java -Xmx6g --add-modules jdk.incubator.vector -cp ...
 * dev.weft.aggregation.bench.AggregationBench [--n 16] [--d 50000000] [--threads 2] [--reps 3]}
 */
public final class AggregationBench {
  private AggregationBench() {}

  public static void main(String[] args) throws Exception {
    int n = 16, d = 50_000_000, threads = 2, reps = 3;
    boolean skipKrum = false, orderOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[++i]);
        case "--d" -> d = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--skip-krum" -> skipKrum = true;
        case "--order-stats-only" -> orderOnly = true;
        case "--help", "-h" -> {
          System.out.println("usage: AggregationBench [--n 16] [--d 50000000] [--threads 2] [--reps 3] [--skip-krum] [--order-stats-only]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(n, d, threads, reps, skipKrum, orderOnly);
  }

  /** Runs the benchmark and prints markdown on stdout (progress on stderr). */
  public static void run(int n, int d, int threads, int reps, boolean skipKrum)
      throws MalformedUpdateException {
    run(n, d, threads, reps, skipKrum, false);
  }

  /**
   * As {@link #run(int, int, int, int, boolean)}; the median and trimmed mean are also measured
   * with their original full-sort kernel ({@link Aggregators#withReferenceSortKernel}), and
   * {@code orderOnly} keeps just the mean and those four rows (no centred clipping, Krum, codecs).
   */
  public static void run(int n, int d, int threads, int reps, boolean skipKrum, boolean orderOnly)
      throws MalformedUpdateException {
    double inputGb = 4.0 * n * d / 1e9;
    System.err.printf(Locale.ROOT, "allocating %d x %d floats (%.2f GB)%n", n, d, inputGb);
    List<AggregationInput> inputs = new ArrayList<>(n);
    float[][] vectors = new float[n][];
    try (ChunkRunner runner = ChunkRunner.withThreads(threads)) {
      for (int i = 0; i < n; i++) {
        float[] v = new float[d];
        long seed = 0x9E3779B97F4A7C15L * (i + 1);
        runner.forEachChunk(d, (c, from, to, w) -> fill(v, from, to, seed + c));
        vectors[i] = v;
        inputs.add(AggregationInput.of(String.format("peer-%03d", i), v));
      }
      float[] dst = new float[d];
      System.out.printf(Locale.ROOT,
          "n=%d, d=%d (%.2f GB of input), %d threads, best of %d; JDK %s, %d cores visible%n%n",
          n, d, inputGb, threads, reps, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
      System.out.println("| kernel | seconds | GB/s of input | % of copy bandwidth |");
      System.out.println("|---|---|---|---|");
      Runnable copyAll = () -> {
        for (float[] v : vectors) runner.forEachChunk(d, (c, from, to, w) -> System.arraycopy(v, from, dst, from, to - from));
      };
      Aggregator trimmed = new TrimmedMean(0.25), median = new CoordinateMedian();
      List<Aggregator> rules = new ArrayList<>(List.of(new Mean(), trimmed, median,
          Aggregators.withReferenceSortKernel(trimmed), Aggregators.withReferenceSortKernel(median)));
      List<String> labels = new ArrayList<>(List.of("mean", trimmed.name() + " (selection kernel)",
          median.name() + " (selection kernel)", trimmed.name() + " (old full-sort kernel)",
          median.name() + " (old full-sort kernel)"));
      if (!orderOnly) {
        rules.add(new CenteredClip());
        labels.add(rules.getLast().name());
      }
      if (!skipKrum && !orderOnly) {
        rules.add(Krum.krum(Math.max(0, (n - 3) / 2)));
        labels.add(rules.getLast().name());
      }
      warmUp(rules, n, runner);
      // The copy is re-measured before every kernel and the best kept, so that a burst of load
      // from other processes does not flatter the kernels.
      double copy = best(reps, copyAll);
      double[] times = new double[rules.size()];
      for (int r = 0; r < rules.size(); r++) {
        Aggregator rule = rules.get(r);
        copy = Math.min(copy, best(reps, copyAll));
        times[r] = best(rule instanceof Krum ? 1 : reps, () -> {
          if (!rule.aggregate(inputs, runner).succeeded()) throw new IllegalStateException(rule + " failed");
        });
      }
      double copyGbs = 2 * inputGb / copy; // STREAM counts bytes read plus bytes written
      row("STREAM-like copy (read+write bytes)", copy, copyGbs, copyGbs);
      for (int r = 0; r < rules.size(); r++) row(labels.get(r), times[r], inputGb / times[r], copyGbs);
      System.out.println();
      if (orderOnly) return;
      System.out.println("| codec (one vector of d) | ratio | encode GB/s | decode GB/s |");
      System.out.println("|---|---|---|---|");
      double vecGb = 4.0 * d / 1e9;
      for (String spec : List.of("bf16", "int8", "topk:0.01", "topk-int8:0.01")) {
        Codec codec = Codecs.parse(spec);
        byte[][] enc = new byte[1][];
        double te = best(reps, () -> enc[0] = codec.encode(vectors[0]));
        double td = best(reps, () -> {
          try {
            Codecs.decode(enc[0], d);
          } catch (MalformedUpdateException e) {
            throw new IllegalStateException(e);
          }
        });
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f |%n", codec.name(),
            Codec.compressionRatio(d, enc[0].length), vecGb / te, vecGb / td);
      }
    }
  }

  /** Runs every rule and codec on small inputs first, so the JIT has compiled the kernels. */
  private static void warmUp(List<Aggregator> rules, int n, ChunkRunner runner) {
    int d = 64 * ChunkRunner.CHUNK;
    List<AggregationInput> small = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      fill(v, 0, d, 77 + i);
      small.add(AggregationInput.of(String.format("warm-%03d", i), v));
    }
    for (int rep = 0; rep < 5; rep++) {
      for (Aggregator rule : rules) rule.aggregate(small, runner);
      for (String spec : List.of("bf16", "int8", "topk:0.01", "topk-int8:0.01")) {
        Codec c = Codecs.parse(spec);
        try {
          Codecs.decode(c.encode(small.get(0).values()), d);
        } catch (MalformedUpdateException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static void row(String name, double seconds, double gbs, double copyGbs) {
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.2f | %.0f%% |%n", name, seconds, gbs, 100 * gbs / copyGbs);
    System.out.flush();
  }

  private static double best(int reps, Runnable r) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  /** Cheap pseudo-random values in [−1, 1): filling gigabytes with Gaussians would take minutes. */
  private static void fill(float[] v, int from, int to, long seed) {
    long s = seed | 1;
    for (int k = from; k < to; k++) {
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      v[k] = (s >>> 40) * 0x1p-23f - 1f;
    }
  }
}
