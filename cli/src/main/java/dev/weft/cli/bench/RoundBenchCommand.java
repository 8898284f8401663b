package dev.weft.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.Output;
import dev.weft.node.round.sim.RoundBench;
import dev.weft.node.round.sim.RoundBench.Overhead;
import dev.weft.node.round.sim.Scenarios;
import dev.weft.node.round.sim.SimResult;
import dev.weft.node.round.sim.Simulation;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft bench round}: the round protocol's simulator — reruns, seed sweeps, overhead figures. */
@Command(
    name = "round",
    mixinStandardHelpOptions = true,
    description = {
      "Run the round protocol's deterministic simulator: one scenario at one seed (the rerun command",
      "a failing test prints), a sweep of seeds, or the protocol overhead at n = 16, 64, 256 voters.",
      "Exit status 1 when an invariant is violated (except in scenarios built to show one)."
    },
    footer = {
      "",
      "Examples:",
      "  weft bench round --scenario partition-50-50 --seed 3",
      "  weft bench round --scenario churn-200 --sweep 20",
      "  weft bench round --list",
      "  weft bench round --overhead --sizes 16,64,256"
    })
public final class RoundBenchCommand implements Callable<Integer> {
  @Mixin Output out;

  @Option(names = "--scenario", defaultValue = "honest", description = "Scenario name (default ${DEFAULT-VALUE}); --list shows them.")
  String scenario;

  @Option(names = "--seed", defaultValue = "1", description = "Seed, or the first seed of a sweep (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sweep", defaultValue = "1", description = "Seeds to run, from --seed on (default ${DEFAULT-VALUE}).")
  int sweep;

  @Option(names = "--list", description = "List the scenarios.")
  boolean list;

  @Option(names = "--overhead", description = "Measure messages, bytes and cut-off-to-certificate time per round.")
  boolean overhead;

  @Option(names = "--sizes", defaultValue = "16,64,256", split = ",", description = "Voter counts for --overhead (default ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--rounds", defaultValue = "0", description = "Rounds per --overhead run (0: 8 at n<=16, 4 at n<=64, else 2).")
  int rounds;

  @Override
  public Integer call() {
    if (list) {
      ArrayNode a = Output.JSON.createArrayNode();
      Scenarios.names().forEach(a::add);
      out.result(a, String.join("\n", Scenarios.names()));
      return 0;
    }
    if (overhead) return overhead();
    if (sweep < 1 || sweep > 10_000) throw new IllegalArgumentException("--sweep must be in [1, 10000]");
    boolean expectViolation = scenario.equals("byzantine-f-plus-1") || scenario.equals("forged-evidence-unchecked");
    int bad = 0;
    ArrayNode runs = Output.JSON.createArrayNode();
    for (int i = 0; i < sweep; i++) {
      SimResult r = new Simulation(Scenarios.get(scenario, seed + i)).run();
      boolean ok = (r.violation() == null) != expectViolation;
      if (!ok) bad++;
      out.say("%s", r.summary());
      ObjectNode o = runs.addObject();
      o.put("seed", seed + i).put("minRound", r.minHonestRound()).put("maxRound", r.maxHonestRound()).put("virtualMillis", r.sim().now())
          .put("violation", r.violation()).put("alarms", r.alarms()).put("messages", r.sim().stats().messages())
          .put("protocolBytes", r.sim().stats().protocolBytes());
    }
    ObjectNode res = Output.object();
    res.put("scenario", scenario).put("seeds", sweep).put("unexpected", bad).set("runs", runs);
    out.result(res, bad + " of " + sweep + " runs " + (expectViolation ? "did not find the expected violation" : "violated an invariant"));
    return bad == 0 ? 0 : 1;
  }

  private int overhead() {
    StringBuilder md = new StringBuilder();
    md.append("| n | rounds | messages/round | protocol KiB/round | per peer KiB/round | contribution KiB/round | cut-off→certificate median (p90) | in 100 ms RTTs | wall s |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    ArrayNode rows = Output.JSON.createArrayNode();
    for (int n : sizes) {
      if (n < 1 || n > 1024) throw new IllegalArgumentException("--sizes must be in [1, 1024]");
      int r = rounds > 0 ? rounds : n <= 16 ? 8 : n <= 64 ? 4 : 2;
      Overhead o = RoundBench.overhead(n, r, seed);
      md.append(String.format("| %d | %d | %.0f | %.0f | %.1f | %.1f | %.0f ms (%.0f ms) | %.2f (%.2f) | %.1f |%n", n, o.rounds(), o.messagesPerRound(),
          o.bytesPerRound() / 1024, o.bytesPerRound() / 1024 / n, o.contributionBytesPerRound() / 1024, o.medianCutoffToDecisionMillis(),
          o.p90CutoffToDecisionMillis(), o.medianRoundTrips(), o.p90RoundTrips(), o.wallSeconds()));
      md.append("|   | bytes by kind: ").append(o.byKind()).append(" |||||||| \n");
      rows.addObject().put("n", n).put("rounds", o.rounds()).put("messagesPerRound", o.messagesPerRound()).put("bytesPerRound", o.bytesPerRound())
          .put("contributionBytesPerRound", o.contributionBytesPerRound()).put("medianCutoffToDecisionMillis", o.medianCutoffToDecisionMillis())
          .put("p90CutoffToDecisionMillis", o.p90CutoffToDecisionMillis()).put("medianRoundTrips", o.medianRoundTrips()).put("byKind", o.byKind());
    }
    out.result(rows, md.toString());
    return 0;
  }
}
