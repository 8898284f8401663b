package dev.weft.cli.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.aggregation.InputReport;
import dev.weft.aggregation.round.OuterState;
import dev.weft.cli.common.ConfigOption;
import dev.weft.cli.common.Output;
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
import dev.weft.node.train.diloco.RoundMembership;
import dev.weft.node.train.diloco.RoundReport;
import dev.weft.node.train.report.Series;
import dev.weft.node.train.report.SvgPlot;
import dev.weft.node.train.torch.TorchRuntime;
import dev.weft.node.train.torch.TorchTrainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weft train local}: DiLoCo with N workers in this process, through the same round step as
 * the networked node (rule, codec with error feedback, outer Nesterov). With no arguments it trains
 * the gpt-tiny byte-level GPT on the built-in corpus for a few minutes on 2 cores and shows the
 * loss falling; writes {@code loss.csv}, {@code loss.svg} and {@code checkpoint.safetensors} to
 * {@code --out}. Progress and the summary go to stderr; with {@code --json} the summary also goes
 * to stdout as one JSON document. A resumed run into the same folder appends to its loss.csv.
 */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run DiLoCo with N workers in one process and plot the loss.",
    footer = {"", "Examples:", "  weft train local", "  weft train local --model gpt-micro --workers 4 --rounds 10 --codec int8 --rule centered-clip",
        "  weft train local --resume weft-train/checkpoint.safetensors --rounds 5 --json"})
public final class TrainLocalCommand implements Callable<Integer> {
  /** More workers than this is a typo, not a run: each holds a model and two AdamW moments. */
  static final int MAX_WORKERS = 256;

  @Option(names = "--workers", defaultValue = "4", description = "Workers, at most the number of training shards (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--rounds", defaultValue = "5", description = "Outer rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--inner-steps", defaultValue = "15", description = "Inner AdamW steps per round, H (default: ${DEFAULT-VALUE}).")
  int innerSteps;

  @Option(names = "--model", defaultValue = "gpt-tiny", description = "gpt-tiny, gpt-micro, mlp, gpt2-small, or gpt:NAME:LAYERS:WIDTH:HEADS:CONTEXT (default: ${DEFAULT-VALUE}); not with --resume.")
  String model;

  @Option(names = "--batch", description = "Sequences per worker batch (default: 8 for GPTs, 64 for the MLP).")
  Integer batch;

  @Option(names = "--lr", description = "Inner peak learning rate (default: 2e-3 for GPTs, 1e-2 for the MLP); warm-up then cosine.")
  Double lr;

  @Option(names = "--outer-lr", defaultValue = "0.7", description = "Outer Nesterov learning rate (default: ${DEFAULT-VALUE}).")
  double outerLr;

  @Option(names = "--outer-momentum", defaultValue = "0.9", description = "Outer Nesterov momentum (default: ${DEFAULT-VALUE}).")
  double outerMomentum;

  @Option(names = "--rule", defaultValue = "mean", description = "Aggregation rule, e.g. mean, centered-clip, nnm:1:centered-clip (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(names = "--codec", defaultValue = "none", description = "Codec of the pseudo-gradients: none, bf16, int8, topk-int8:0.01 (default: ${DEFAULT-VALUE}).")
  String codec;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--eval-batches", defaultValue = "8", description = "Validation batches evaluated after each round (default: ${DEFAULT-VALUE}).")
  int evalBatches;

  @Option(names = "--out", defaultValue = "weft-train", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint written by an earlier run (model, θ, outer momentum, round).")
  Path resume;

  @Option(names = "--threads", description = "LibTorch intra-op threads (default: min(2, cores)).")
  Integer threads;

  @Mixin DataOptions dataOptions;
  @Mixin Output output;
  @Mixin ConfigOption config;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final String CSV_HEADER = "round,tokens,train_loss,val_loss,bytes_per_worker,seconds";

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  @Override public Integer call() throws Exception {
    if (workers < 1 || rounds < 1 || innerSteps < 1) throw usage("--workers, --rounds and --inner-steps must be positive");
    if (workers > MAX_WORKERS) throw usage("--workers " + workers + " is more than the limit of " + MAX_WORKERS);
    if (resume != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
      throw usage("--model and --resume conflict: a resumed run keeps the model of its checkpoint");
    }
    LocalDiloco.Exchange exchange;
    try {
      exchange = LocalDiloco.Exchange.of(rule, codec);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (exchange.rule().minInputs() > workers) {
      throw usage("--rule " + rule + " needs at least " + exchange.rule().minInputs() + " workers, got " + workers);
    }
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
    java.io.PrintWriter err = output.commandLine().getErr();
    ShardedDataset ds = dataOptions.load(spec.context(), err);
    if (workers > ds.train().size()) {
      throw usage("--workers " + workers + " is more than the " + ds.train().size()
          + " training shards of the data: each worker needs a shard of its own (lower --workers or --shard-bytes)");
    }
    output.say(String.format(Locale.ROOT, "weft: model %s, %,d parameters; %d workers x %d rounds x %d inner steps, batch %dx%d; rule %s, codec %s; LibTorch threads %d",
        ModelSpecs.format(spec), spec.layout().size(), workers, rounds, innerSteps, rows, spec.context(), exchange.rule().name(), codec,
        TorchRuntime.threads()));
    LocalDiloco.Config cfg = new LocalDiloco.Config(spec, innerSteps, rows, inner, outer, seed, evalBatches);
    Files.createDirectories(out);
    Path csvPath = out.resolve("loss.csv");
    LossCsv csv = LossCsv.openForRun(csvPath, start != null);
    long t0 = System.nanoTime();
    try (LocalDiloco run = start == null
        ? LocalDiloco.start(cfg, ds, exchange, RoundMembership.fixed(workers), TorchTrainer::new)
        : new LocalDiloco(cfg, ds, exchange, RoundMembership.fixed(workers), TorchTrainer::new, start.theta(),
            new OuterState(start.outerMomentum(), start.round()), startRound)) {
      double initial = run.validationLoss();
      output.say(String.format(Locale.ROOT, "weft: round %d validation loss %.4f nats/byte (%.3f bits)", startRound, initial, initial / Math.log(2)));
      csv.start(startRound, initial);
      ProgressBar bar = new ProgressBar(err, (long) rounds * workers, t0);
      long[] done = {0};
      double[] lastVal = {initial};
      run.onWorkerDone((w, m) -> bar.update(++done[0], System.nanoTime(),
          String.format(Locale.ROOT, "round %d/%d %s loss %.3f val %.3f", run.round() - startRound + 1, rounds, w, m.lastLoss(), lastVal[0])));
      long tokens = 0;
      int rejected = 0;
      RoundReport r = null;
      for (int i = 0; i < rounds; i++) {
        r = run.runRound();
        tokens += r.tokens();
        lastVal[0] = r.validationLoss();
        double secs = (System.nanoTime() - t0) / 1e9;
        csv.round(r.round() + 1, tokens, r.trainLoss(), r.validationLoss(), r.bytesPerWorker(), secs);
        bar.update(done[0], System.nanoTime(), String.format(Locale.ROOT, "round %d/%d done: train %.3f val %.3f", i + 1, rounds, r.trainLoss(), r.validationLoss()));
        for (InputReport rep : r.notAccepted()) {
          if (rep.verdict() == dev.weft.aggregation.Verdict.REJECTED) rejected++;
          output.say("weft: round " + (r.round() + 1) + ": " + rep.key() + " " + rep.verdict().name().toLowerCase(Locale.ROOT) + ": " + rep.reason());
        }
        if (r.failure().isPresent()) output.say("weft: round " + (r.round() + 1) + " failed, θ unchanged: " + r.failure().get());
      }
      bar.finish();
      double secs = (System.nanoTime() - t0) / 1e9;
      Path ckpt = out.resolve("checkpoint.safetensors");
      CheckpointFiles.write(ckpt, new Checkpoint(spec, run.round(), innerSteps, run.theta(), outer, run.outerState().momentum()));
      csv.write();
      List<Series> curves = csv.series();
      Files.writeString(out.resolve("loss.svg"), SvgPlot.render("weft train local: " + spec.name() + ", " + workers + " workers, H=" + innerSteps,
          "tokens trained (all workers)", "loss (nats/byte)", curves), StandardCharsets.UTF_8);
      ObjectNode j = Output.object();
      j.put("model", ModelSpecs.format(spec)).put("parameters", spec.layout().size()).put("workers", workers)
          .put("rounds", rounds).put("innerSteps", innerSteps).put("rule", exchange.rule().name()).put("codec", codec)
          .put("initialValidationLoss", initial).put("finalValidationLoss", r.validationLoss()).put("tokens", tokens)
          .put("bytesPerWorker", r.bytesPerWorker()).put("rejectedContributions", rejected).put("seconds", secs)
          .put("checkpoint", ckpt.toString()).put("csv", csvPath.toString()).put("svg", out.resolve("loss.svg").toString());
      output.result(j, String.format(Locale.ROOT, "weft: validation loss %.4f -> %.4f nats/byte in %s; wrote %s, %s, loss.svg",
          initial, r.validationLoss(), ProgressBar.duration(secs), ckpt, csv.appended() ? "appended to loss.csv" : "loss.csv"));
      if (output.json()) {
        output.say(String.format(Locale.ROOT, "weft: validation loss %.4f -> %.4f nats/byte in %s", initial, r.validationLoss(), ProgressBar.duration(secs)));
      }
      return 0;
    }
  }
}
