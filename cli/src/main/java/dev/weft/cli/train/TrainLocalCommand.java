package dev.weft.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.checkpoint.CheckpointFiles;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.diloco.LocalDiloco;
import dev.weft.node.train.diloco.OuterConfig;
import dev.weft.aggregation.round.OuterState;
import dev.weft.node.train.diloco.RoundMembership;
import dev.weft.node.train.diloco.RoundReport;
import dev.weft.node.train.report.Series;
import dev.weft.node.train.report.SvgPlot;
import dev.weft.node.train.torch.TorchRuntime;
import dev.weft.node.train.torch.TorchTrainer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft train local}: DiLoCo with N workers in this process. With no arguments it trains the
 * gpt-tiny byte-level GPT on the built-in corpus for a few minutes on 2 cores and shows the loss
 * falling; writes {@code loss.csv}, {@code loss.svg} and {@code checkpoint.safetensors} to
 * {@code --out}, and a JSON summary on stdout.
 */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run DiLoCo with N workers in one process and plot the loss.")
public final class TrainLocalCommand implements Callable<Integer> {
  @Option(names = "--workers", defaultValue = "4", description = "Workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--rounds", defaultValue = "5", description = "Outer rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--inner-steps", defaultValue = "15", description = "Inner AdamW steps per round, H (default: ${DEFAULT-VALUE}).")
  int innerSteps;

  @Option(names = "--model", defaultValue = "gpt-tiny", description = "gpt-tiny, gpt-micro, mlp, gpt2-small, or gpt:NAME:LAYERS:WIDTH:HEADS:CONTEXT (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--batch", description = "Sequences per worker batch (default: 8 for GPTs, 64 for the MLP).")
  Integer batch;

  @Option(names = "--lr", description = "Inner peak learning rate (default: 2e-3 for GPTs, 1e-2 for the MLP); warm-up then cosine.")
  Double lr;

  @Option(names = "--outer-lr", defaultValue = "0.7", description = "Outer Nesterov learning rate (default: ${DEFAULT-VALUE}).")
  double outerLr;

  @Option(names = "--outer-momentum", defaultValue = "0.9", description = "Outer Nesterov momentum (default: ${DEFAULT-VALUE}).")
  double outerMomentum;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--eval-batches", defaultValue = "8", description = "Validation batches evaluated after each round (default: ${DEFAULT-VALUE}).")
  int evalBatches;

  @Option(names = "--out", defaultValue = "weft-train", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint written by an earlier run (θ, outer momentum, round).")
  Path resume;

  @Option(names = "--threads", description = "LibTorch intra-op threads (default: min(2, cores)).")
  Integer threads;

  @Option(names = "--rule", defaultValue = "mean", description = "Aggregation rule, e.g. mean, centered-clip, nnm:1:centered-clip (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(names = "--codec", defaultValue = "none", description = "Codec of the pseudo-gradients: none, bf16, int8, topk-int8:0.01 (default: ${DEFAULT-VALUE}).")
  String codec;

  @Mixin DataOptions dataOptions;

  @Override public Integer call() throws Exception {
    PrintStream err = System.err;
    if (workers < 1 || rounds < 1 || innerSteps < 1) throw new IllegalArgumentException("--workers, --rounds and --inner-steps must be positive");
    if (threads != null) TorchRuntime.setThreads(threads);
    Checkpoint start = resume == null ? null : CheckpointFiles.read(resume);
    ModelSpec spec = start != null ? start.model() : ModelSpecs.parse(model);
    boolean gpt = spec instanceof GptConfig;
    int rows = batch != null ? batch : (gpt ? 8 : 64);
    double peak = lr != null ? lr : (gpt ? 2e-3 : 1e-2);
    int startRound = start == null ? 0 : (int) start.round();
    long totalInner = (long) (startRound + rounds) * innerSteps;
    AdamWConfig inner = AdamWConfig.defaults(new LrSchedule(peak, Math.max(1, Math.min(100, totalInner / 10)), totalInner, 0.1));
    OuterConfig outer = start != null ? start.outer() : new OuterConfig(outerLr, outerMomentum, true);
    ShardedDataset ds = dataOptions.load(spec.context(), err);
    err.printf(Locale.ROOT, "weft: model %s, %,d parameters; %d workers x %d rounds x %d inner steps, batch %dx%d; LibTorch threads %d%n",
        ModelSpecs.format(spec), spec.layout().size(), workers, rounds, innerSteps, rows, spec.context(), TorchRuntime.threads());
    LocalDiloco.Config cfg = new LocalDiloco.Config(spec, innerSteps, rows, inner, outer, seed, evalBatches);
    LocalDiloco.Exchange exchange = LocalDiloco.Exchange.of(rule, codec);
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    Series val = new Series("validation"), train = new Series("training (workers' mean)");
    StringBuilder csv = new StringBuilder("round,tokens,train_loss,val_loss,bytes_per_worker,seconds\n");
    try (LocalDiloco run = start == null
        ? LocalDiloco.start(cfg, ds, exchange, RoundMembership.fixed(workers), TorchTrainer::new)
        : new LocalDiloco(cfg, ds, exchange, RoundMembership.fixed(workers), TorchTrainer::new, start.theta(),
            new OuterState(start.outerMomentum(), start.round()), startRound)) {
      double initial = run.validationLoss();
      err.printf(Locale.ROOT, "weft: round %d validation loss %.4f nats/byte (%.3f bits)%n", startRound, initial, initial / Math.log(2));
      val.add(0, initial);
      csv.append(String.format(Locale.ROOT, "%d,0,,%.6f,0,0%n", startRound, initial));
      ProgressBar bar = new ProgressBar(err, (long) rounds * workers, t0);
      long[] done = {0};
      double[] lastVal = {initial};
      run.onWorkerDone((w, m) -> bar.update(++done[0], System.nanoTime(),
          String.format(Locale.ROOT, "round %d/%d %s loss %.3f val %.3f", run.round() - startRound + 1, rounds, w, m.lastLoss(), lastVal[0])));
      long tokens = 0;
      RoundReport r = null;
      for (int i = 0; i < rounds; i++) {
        r = run.runRound();
        tokens += r.tokens();
        lastVal[0] = r.validationLoss();
        double secs = (System.nanoTime() - t0) / 1e9;
        val.add(tokens, r.validationLoss());
        train.add(tokens, r.trainLoss());
        csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d,%.1f%n", r.round() + 1, tokens, r.trainLoss(), r.validationLoss(), r.bytesPerWorker(), secs));
        bar.update(done[0], System.nanoTime(), String.format(Locale.ROOT, "round %d/%d done: train %.3f val %.3f", i + 1, rounds, r.trainLoss(), r.validationLoss()));
      }
      bar.finish();
      double secs = (System.nanoTime() - t0) / 1e9;
      Path ckpt = out.resolve("checkpoint.safetensors");
      CheckpointFiles.write(ckpt, new Checkpoint(spec, run.round(), innerSteps, run.theta(), outer, run.outerState().momentum()));
      Files.writeString(out.resolve("loss.csv"), csv, StandardCharsets.UTF_8);
      Files.writeString(out.resolve("loss.svg"), SvgPlot.render("weft train local: " + spec.name() + ", " + workers + " workers, H=" + innerSteps,
          "tokens trained (all workers)", "loss (nats/byte)", List.of(val, train)), StandardCharsets.UTF_8);
      err.printf(Locale.ROOT, "weft: validation loss %.4f -> %.4f nats/byte in %s; wrote %s, loss.csv, loss.svg%n",
          initial, r.validationLoss(), ProgressBar.duration(secs), ckpt);
      ObjectNode j = new ObjectMapper().createObjectNode();
      j.put("model", ModelSpecs.format(spec)).put("parameters", spec.layout().size()).put("workers", workers)
          .put("rounds", rounds).put("innerSteps", innerSteps).put("initialValidationLoss", initial)
          .put("finalValidationLoss", r.validationLoss()).put("tokens", tokens).put("bytesPerWorker", r.bytesPerWorker())
          .put("seconds", secs).put("checkpoint", ckpt.toString()).put("csv", out.resolve("loss.csv").toString())
          .put("svg", out.resolve("loss.svg").toString());
      System.out.println(j);
      return 0;
    }
  }
}
