package dev.weft.cli.train;

import dev.weft.node.train.bench.TrainBench;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code weft train bench}: matmul GFLOP/s, GPT step tokens/s, and flat-vector copy cost on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure LibTorch matmul, GPT training-step and parameter-copy speed here.")
public final class TrainBenchCommand implements Runnable {
  @Parameters(paramLabel = "THREADS", arity = "0..*", description = "Thread counts to try (default: 1 2).")
  List<String> threads = List.of();

  @Override public void run() {
    TrainBench.main(threads.toArray(String[]::new));
  }
}
