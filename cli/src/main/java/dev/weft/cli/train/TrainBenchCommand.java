package dev.weft.cli.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weft.cli.common.Output;
import dev.weft.node.train.bench.TrainBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code weft train bench}: matmul GFLOP/s, GPT step tokens/s, and flat-vector copy cost on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure LibTorch matmul, GPT training-step and parameter-copy speed here.",
    footer = {"", "Examples:", "  weft train bench", "  weft train bench 1 2 4 --json"})
public final class TrainBenchCommand implements Callable<Integer> {
  /** Thread counts beyond this are a typo. */
  static final int MAX_THREADS = 256;

  @Parameters(paramLabel = "THREADS", arity = "0..*", description = "Thread counts to try (default: 1 2).")
  List<Integer> threads = List.of();

  @Mixin Output output;

  @Override public Integer call() {
    int[] t = threads.isEmpty() ? new int[] {1, 2} : threads.stream().mapToInt(Integer::intValue).toArray();
    for (int x : t) {
      if (x < 1 || x > MAX_THREADS) throw new picocli.CommandLine.ParameterException(output.commandLine(), "thread counts must be in [1, " + MAX_THREADS + "]: " + x);
    }
    List<TrainBench.Figure> figures = TrainBench.run(t, line -> output.say(line));
    ArrayNode a = Output.JSON.createArrayNode();
    for (TrainBench.Figure f : figures) a.addObject().put("name", f.name()).put("threads", f.threads()).put("value", f.value()).put("unit", f.unit());
    output.json(a);
    return 0;
  }
}
