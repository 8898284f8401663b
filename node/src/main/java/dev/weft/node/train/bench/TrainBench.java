package dev.weft.node.train.bench;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchRuntime;
import dev.weft.node.train.torch.TorchTrainer;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Speed of the training engine on this machine: LibTorch matmul GFLOP/s, GPT training-step
 * tokens/s for a few shapes, and the cost of moving the flat parameter vector in and out of a
 * trainer (done every DiLoCo round). Prints one line per figure. Wall-clock timing is the point
 * here, so {@code System.nanoTime} is used; this is a benchmark, not protocol logic.
 *
 * <p>Usage: {@code TrainBench [threads...]} (default: 1 2).
 */
public final class TrainBench {
  private TrainBench() {}

  /** One measured figure: what, on how many threads (0: not threaded), its value and unit. */
  public record Figure(String name, int threads, double value, String unit) {}

  public static void main(String[] args) {
    int[] threads = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    run(threads, System.out::println);
  }

  /** Measures everything, reporting a line per figure to {@code lines} as it goes. */
  public static java.util.List<Figure> run(int[] threads, java.util.function.Consumer<String> lines) {
    java.util.List<Figure> out = new java.util.ArrayList<>();
    TorchRuntime.init();
    lines.accept("OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY") + " processors=" + Runtime.getRuntime().availableProcessors());
    for (int th : threads) {
      TorchRuntime.setThreads(th);
      double g = matmulGflops(512, 20);
      out.add(new Figure("matmul 512^3 float32", th, g, "GFLOP/s"));
      lines.accept(String.format(Locale.ROOT, "threads=%d matmul 512^3 float32: %.1f GFLOP/s", th, g));
      for (GptConfig cfg : new GptConfig[] {GptConfig.micro(), GptConfig.tiny()}) {
        gptStep(cfg, 8, th, out, lines);
      }
    }
    flatCopy(GptConfig.tiny(), out, lines);
    flatCopy(new GptConfig("gpt-6x384", 6, 384, 6, 256), out, lines);
    return out;
  }

  static double matmulGflops(int n, int reps) {
    try (PointerScope scope = new PointerScope()) {
      Tensor a = torch.randn(n, n), b = torch.randn(n, n);
      torch.matmul(a, b); // warm-up
      long best = Long.MAX_VALUE;
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        torch.matmul(a, b).close();
        best = Math.min(best, System.nanoTime() - t0);
      }
      return 2.0 * n * n * n / best;
    }
  }

  static void gptStep(GptConfig cfg, int rows, int threads, java.util.List<Figure> out, java.util.function.Consumer<String> lines) {
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.defaultCorpus(), ShardedDataset.DEFAULT_SHARD_BYTES, cfg.context() + 1);
    WindowSampler sampler = new WindowSampler(ds.train(), rows, cfg.context(), 1);
    try (TorchTrainer t = new TorchTrainer(cfg, AdamWConfig.defaults(LrSchedule.constant(1e-3)), cfg.initialParameters(1))) {
      t.train(sampler, 3); // warm-up
      int steps = 20;
      var m = t.train(sampler, steps).metrics();
      out.add(new Figure(cfg.name() + " training step, batch " + rows + "x" + cfg.context(), threads, m.tokensPerSecond(), "tokens/s"));
      lines.accept(String.format(Locale.ROOT, "threads=%d %s (%d params) batch %dx%d: %.1f ms/step, %.0f tokens/s", threads, cfg.name(),
          cfg.layout().size(), rows, cfg.context(), m.nanos() / 1e6 / steps, m.tokensPerSecond()));
    }
  }

  static void flatCopy(GptConfig cfg, java.util.List<Figure> out, java.util.function.Consumer<String> lines) {
    float[] p = cfg.initialParameters(1);
    try (TorchTrainer t = new TorchTrainer(cfg, AdamWConfig.defaults(LrSchedule.constant(1e-3)), p)) {
      int reps = 50;
      for (int i = 0; i < 5; i++) t.loadParameters(t.parameters());
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) t.loadParameters(p);
      long load = (System.nanoTime() - t0) / reps;
      t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) t.parameters();
      long read = (System.nanoTime() - t0) / reps;
      double mb = p.length * 4 / 1e6;
      out.add(new Figure(cfg.name() + " flat vector load", 0, mb / 1e3 / (load / 1e9), "GB/s"));
      out.add(new Figure(cfg.name() + " flat vector read", 0, mb / 1e3 / (read / 1e9), "GB/s"));
      lines.accept(String.format(Locale.ROOT, "%s flat vector %.1f MB: load %.2f ms (%.1f GB/s incl. finiteness check), read %.2f ms (%.1f GB/s)",
          cfg.name(), mb, load / 1e6, mb / 1e3 / (load / 1e9), read / 1e6, mb / 1e3 / (read / 1e9)));
    }
  }
}
