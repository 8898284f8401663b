package dev.weft.cli.bench;

import dev.weft.aggregation.bench.AggregationBench;
import dev.weft.aggregation.bench.RobustnessTable;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.cli.common.MarkdownReport;
import dev.weft.cli.common.Output;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft bench}: measurements that write markdown for the README. As every command, they keep
 * the output rule ({@link Output}): the report on stderr as it is measured, {@code --out FILE} for
 * the report alone, {@code --json} for its tables on stdout ({@link MarkdownReport}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark; its markdown report goes to stderr (--out FILE to keep it, --json for its tables on stdout).",
    footer = {"", "Examples:", "  weft bench robustness --seeds 1 --rounds 10 --out robustness.md",
        "  weft bench crdt --keys 10000 --json", "  weft bench testnet --byzantine 1,2 --attacks signflip,alie --rules mean,centered-clip", "  WEFT_JAVA_OPTS=-Xmx6g weft bench aggregation --d 50000000"},
    subcommands = {BenchCommand.Robustness.class, BenchCommand.Aggregation.class, dev.weft.cli.state.CrdtBenchCommand.class,
        RoundBenchCommand.class, dev.weft.cli.run.BlocksBenchCommand.class, TestnetMatrixCommand.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The robustness table: accuracy of every aggregation rule under every attack. */
  @Command(
      name = "robustness",
      mixinStandardHelpOptions = true,
      description = {
        "Train softmax regression in the DiLoCo pattern with n=16 workers, f in {0,2,4} of them",
        "Byzantine, for every aggregation rule x attack; report final test accuracy as markdown."
      },
      footer = {"", "Examples:", "  weft bench robustness", "  weft bench robustness --seeds 1 --rounds 10 --codecs none --out table.md",
          "  weft bench robustness --json > table.json"})
  static final class Robustness implements Callable<Integer> {
    @Mixin Output out;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown report to FILE.")
    Path file;

    @Option(names = "--seeds", defaultValue = "2", description = "Seeds averaged per cell (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--rounds", defaultValue = "30", description = "Outer rounds per run (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--codecs", defaultValue = "int8,topk:0.1", split = ",",
        description = "Codecs for the extra tables: bf16, int8[:BLOCK], topk:FRACTION, topk-int8:FRACTION (default ${DEFAULT-VALUE}); 'none' for none.")
    List<String> codecs;

    @Override
    public Integer call() throws Exception {
      if (seeds < 1 || seeds > 100) throw new IllegalArgumentException("--seeds must be in [1, 100]");
      if (rounds < 1 || rounds > 10_000) throw new IllegalArgumentException("--rounds must be in [1, 10000]");
      List<Codec> parsed = new ArrayList<>();
      for (String c : codecs) if (!c.isBlank() && !c.equals("none")) parsed.add(Codecs.parse(c));
      MarkdownReport.run(out, "robustness", file, ps -> RobustnessTable.run(ps, seeds, rounds, parsed));
      return 0;
    }
  }

  /** Throughput of aggregators and codecs against memory bandwidth. */
  @Command(
      name = "aggregation",
      mixinStandardHelpOptions = true,
      description = {
        "Measure aggregation and codec throughput in GB/s of input next to a STREAM-like copy.",
        "Needs about n*d*4 bytes of heap: give the JVM enough (WEFT_JAVA_OPTS=-Xmx6g)."
      },
      footer = {"", "Examples:", "  weft bench aggregation --d 1000000 --skip-krum",
          "  WEFT_JAVA_OPTS=-Xmx6g weft bench aggregation --d 50000000 --out aggregation.md --json"})
  static final class Aggregation implements Callable<Integer> {
    @Mixin Output out;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown report to FILE.")
    Path file;

    @Option(names = "--n", defaultValue = "16", description = "Inputs (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "50000000", description = "Coordinates per input (default ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--reps", defaultValue = "3", description = "Repetitions; the best is reported (default ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--skip-krum", description = "Leave out Krum (O(n^2 d): the slowest).")
    boolean skipKrum;

    @Override
    public Integer call() throws Exception {
      if (n < 1 || n > 1024) throw new IllegalArgumentException("--n must be in [1, 1024]");
      if (d < 1) throw new IllegalArgumentException("--d must be positive");
      if (reps < 1 || reps > 100) throw new IllegalArgumentException("--reps must be in [1, 100]");
      long need = 4L * n * d;
      long max = Runtime.getRuntime().maxMemory();
      if (need > max * 0.8) {
        throw new IllegalArgumentException(String.format(
            "inputs need %.2f GB but the heap allows %.2f GB: lower --d or raise -Xmx (WEFT_JAVA_OPTS)",
            need / 1e9, max / 1e9));
      }
      // AggregationBench writes to System.out (it is also a main() of its own); in this one-command
      // process, point System.out at the report for the run's length.
      MarkdownReport.run(out, "aggregation", file, ps -> {
        PrintStream saved = System.out;
        System.setOut(ps);
        try {
          AggregationBench.run(n, d, threads, reps, skipKrum);
        } catch (Exception e) {
          throw new IllegalStateException(e.getMessage(), e);
        } finally {
          System.setOut(saved);
        }
      });
      return 0;
    }
  }
}
