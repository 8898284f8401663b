package dev.weft.cli.bench;

import dev.weft.cli.common.MarkdownReport;
import dev.weft.cli.common.Output;
import dev.weft.testnet.TestnetMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft bench testnet}: the attack × rule × f × churn matrix, each cell a whole testnet run. */
@Command(
    name = "testnet",
    mixinStandardHelpOptions = true,
    description = {
      "Run the testnet matrix: for every Byzantine count, attack, aggregation rule and churn level, a whole testnet",
      "(coordinator and N volunteers over loopback TCP), compared with a clean run of the same rule and seed.",
      "Reports final validation loss against the clean run, rounds no honest node applied, round-protocol bytes per",
      "honest node, bans, and whether the honest nodes agreed. Cells run one after another; a long sweep."
    },
    footer = {
      "",
      "Examples:",
      "  weft bench testnet --nodes 8 --byzantine 1,2 --attacks signflip,alie,ipm --rules mean,centered-clip --out matrix.md",
      "  weft bench testnet --byzantine 0 --churn 0,0.1,0.3 --rules centered-clip          (churn alone)",
      "  weft bench testnet --model gpt-micro --rounds 6 --json > matrix.json"
    })
public final class TestnetMatrixCommand implements Callable<Integer> {
  @Mixin Output out;

  @Option(names = "--nodes", defaultValue = "8", description = "Volunteers per run (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--byzantine", defaultValue = "1,2", split = ",", description = "Attacker counts f (0: the churn-only row; default ${DEFAULT-VALUE}).")
  List<Integer> byzantine;

  @Option(names = "--attacks", defaultValue = "signflip,alie,ipm", split = ",", description = "Attacks (default ${DEFAULT-VALUE}).")
  List<String> attacks;

  @Option(names = "--rules", defaultValue = "mean,median,centered-clip", split = ",", description = "Aggregation rules (default ${DEFAULT-VALUE}).")
  List<String> rules;

  @Option(names = "--churn", defaultValue = "0", split = ",", description = "Churn levels, each 0 <= P < 1 (default ${DEFAULT-VALUE}).")
  List<Double> churn;

  @Option(names = "--rounds", defaultValue = "6", description = "Outer rounds per run (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of every run (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--model", defaultValue = "mlp", description = "mlp, gpt-micro, gpt-tiny or a model spec (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--cutoff-ms", defaultValue = "8000", description = "Initial round cut-off (default ${DEFAULT-VALUE}).")
  long cutoffMillis;

  @Option(names = "--timeout", defaultValue = "600", description = "Give up a run after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--state", paramLabel = "DIR", description = "Keep each run's node folders under DIR (default: temporary folders).")
  Path state;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown report to FILE.")
  Path file;

  @Override public Integer call() throws Exception {
    TestnetMatrix.Spec spec;
    try {
      spec = new TestnetMatrix.Spec(nodes, byzantine, attacks, rules, churn, rounds, seed, model, cutoffMillis, timeoutSeconds * 1000,
          state == null ? null : state.toAbsolutePath());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(out.commandLine(), e.getMessage());
    }
    int[] bad = {0};
    MarkdownReport.run(out, "testnet", file, ps -> {
      ps.printf(Locale.ROOT, "## Testnet matrix%n%n%d nodes, %d rounds, model %s, seed %d, cut-off %d ms; %d cells plus %d clean runs; "
          + "gap = final validation loss against the clean run of the same rule.%n%n", nodes, rounds, model, seed, cutoffMillis, spec.cells(), rules.size());
      List<TestnetMatrix.Row> rows;
      try {
        rows = TestnetMatrix.run(spec, line -> out.say("  %s", line));
      } catch (Exception e) {
        throw new IllegalStateException("the matrix stopped: " + e.getMessage(), e);
      }
      for (TestnetMatrix.Row r : rows) if (!r.completed() || !r.agreed()) bad[0]++;
      ps.print(TestnetMatrix.markdown(rows));
      ps.printf(Locale.ROOT, "%nload average at the end: %s%n", loadAverage());
    });
    return bad[0] == 0 ? 0 : 1;
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
