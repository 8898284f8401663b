package dev.weft.node.train.diloco;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.data.Shard;
import dev.weft.node.train.data.ShardAssignment;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.report.Series;
import dev.weft.node.train.torch.TorchTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The evidence run: the same model, data and total compute (tokens) trained four ways —
 * (a) one worker with plain AdamW for {@code workers × steps} steps; (b) DiLoCo with
 * {@code workers} workers for each H in {@code hs}, {@code steps} inner steps each; (c) synchronous
 * data-parallel with {@code workers} workers averaging gradients every step for {@code steps}
 * steps. Reports final validation loss and the bytes each worker sent plus received.
 *
 * <p>(c) is computed as one trainer whose batch is the concatenation of the workers' batches (each
 * drawn from that worker's shards): the mean loss over equal-sized parts is the mean of the parts'
 * losses, so its gradient is exactly the average of the workers' gradients (up to float summation
 * order), and clipping and AdamW then act on the averaged gradient as in all-reduce DDP.
 */
public final class DilocoComparison {
  /**
   * Settings; {@code rows} is each worker's batch in sequences, {@code lr} the inner peak rate.
   * DiLoCo runs once per H and codec ("none" = float32) with the outer optimizer {@code outer} and
   * aggregation rule {@code rule}. With {@code warmupSteps} > 0 every run starts from the same warm
   * start — the initialisation trained that many single-worker AdamW steps on all the data, as the
   * DiLoCo paper starts from a pretrained model — and the compute compared is what follows.
   * {@code includeSingle} false leaves out row (a), which changes no other row.
   */
  public record Config(ModelSpec model, int workers, int steps, List<Integer> hs, int rows, double lr, long seed, int evalBatches,
      List<String> codecs, OuterConfig outer, String rule, int warmupSteps, boolean includeSingle) {
    public Config {
      hs = List.copyOf(hs);
      codecs = List.copyOf(codecs);
      for (int h : hs) if (h < 1 || steps % h != 0) throw new IllegalArgumentException("steps " + steps + " must be a multiple of every H (" + h + ")");
      if (workers < 1 || steps < 1 || rows < 1) throw new IllegalArgumentException("workers, steps and rows must be positive");
      if (codecs.isEmpty()) throw new IllegalArgumentException("need at least one codec (none for float32)");
      if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0");
    }

    /** The original comparison: mean, float32, the paper's outer Nesterov, from the initialisation. */
    public Config(ModelSpec model, int workers, int steps, List<Integer> hs, int rows, double lr, long seed, int evalBatches) {
      this(model, workers, steps, hs, rows, lr, seed, evalBatches, List.of("none"), OuterConfig.diloco(), "mean", 0, true);
    }
  }

  /**
   * One row of the table, with its validation curve against total tokens trained; {@code h} and
   * {@code codec} are 0 and "" for the single-worker and data-parallel rows.
   */
  public record Result(String name, int syncs, double finalValidationLoss, long bytesPerWorker, double seconds, long tokens, Series curve,
      int h, String codec) {}

  private final Config cfg;
  private final ShardedDataset data;
  private final LongSupplier nanos;
  private final Consumer<String> log;

  /** {@code nanos} is the clock for the seconds column (wall time is what a user waits). */
  public DilocoComparison(Config cfg, ShardedDataset data, LongSupplier nanos, Consumer<String> log) {
    this.cfg = cfg;
    this.data = data;
    this.nanos = nanos;
    this.log = log;
  }

  private float[] start;

  public List<Result> run() {
    start = warmStart();
    List<Result> out = new ArrayList<>();
    // (a) costs as much as a DiLoCo run; sweeps over H and the outer optimizer can leave it out.
    if (cfg.includeSingle()) out.add(single());
    for (int h : cfg.hs()) for (String codec : cfg.codecs()) out.add(diloco(h, codec));
    out.add(dataParallel());
    return out;
  }

  /** The common starting point: the initialisation, trained warmupSteps single-worker steps. */
  float[] warmStart() {
    float[] init = cfg.model().initialParameters(cfg.seed());
    if (cfg.warmupSteps() == 0) return init;
    try (TorchTrainer t = new TorchTrainer(cfg.model(), inner(cfg.warmupSteps()), init)) {
      WindowSampler s = new WindowSampler(data.train(), cfg.rows(), cfg.model().context(), cfg.seed() ^ 0x5741524dL);
      float[] p = t.train(s, cfg.warmupSteps()).parameters();
      log.accept(String.format(java.util.Locale.ROOT, "warm start: %d steps", cfg.warmupSteps()));
      return p;
    }
  }

  private AdamWConfig inner(long totalSteps) {
    return AdamWConfig.defaults(new LrSchedule(cfg.lr(), Math.max(1, totalSteps / 20), totalSteps, 0.1));
  }

  private long vectorBytes() {
    return 2L * Float.BYTES * cfg.model().layout().size();
  }

  /** Evaluation points: 12 per run, at equal token counts across runs where the run allows. */
  private int evalEvery(int steps) {
    return Math.max(1, steps / 12);
  }

  Result single() {
    long t0 = nanos.getAsLong();
    int steps = cfg.workers() * cfg.steps();
    Series curve = new Series("1 worker AdamW");
    List<Batch> val = WindowSampler.evaluationBatches(data.validation(), cfg.rows(), cfg.model().context(), cfg.evalBatches());
    try (TorchTrainer t = new TorchTrainer(cfg.model(), inner(steps), start)) {
      WindowSampler s = new WindowSampler(data.train(), cfg.rows(), cfg.model().context(), cfg.seed());
      curve.add(0, t.evaluate(val));
      long tokens = 0;
      int every = evalEvery(steps);
      for (int done = 0; done < steps; done += every) {
        int n = Math.min(every, steps - done);
        tokens += t.train(s, n).metrics().tokens();
        curve.add(tokens, t.evaluate(val));
        log.accept(String.format(java.util.Locale.ROOT, "(a) single: step %d/%d val %.4f", done + n, steps, last(curve)));
      }
      return new Result("(a) 1 worker, AdamW", 0, last(curve), 0, secs(t0), tokens, curve, 0, "");
    }
  }

  Result diloco(int h, String codec) {
    long t0 = nanos.getAsLong();
    String label = "DiLoCo N=" + cfg.workers() + " H=" + h + (codec.equals("none") ? "" : " " + codec);
    Series curve = new Series(label);
    LocalDiloco.Config c = new LocalDiloco.Config(cfg.model(), h, cfg.rows(), inner(cfg.steps()), cfg.outer(), cfg.seed(), cfg.evalBatches());
    LocalDiloco.Exchange exchange = LocalDiloco.Exchange.of(cfg.rule(), codec);
    try (LocalDiloco run = new LocalDiloco(c, data, exchange, RoundMembership.fixed(cfg.workers()), TorchTrainer::new, start,
        dev.weft.aggregation.round.OuterState.fresh(start.length), 0)) {
      curve.add(0, run.validationLoss());
      long tokens = 0;
      RoundReport r = null;
      for (int round = 0; round < cfg.steps() / h; round++) {
        r = run.runRound();
        tokens += r.tokens();
        curve.add(tokens, r.validationLoss());
        log.accept(String.format(java.util.Locale.ROOT, "(b) %s: round %d/%d val %.4f", label, round + 1, cfg.steps() / h, r.validationLoss()));
      }
      return new Result("(b) " + label, cfg.steps() / h, last(curve), r.bytesPerWorker(), secs(t0), tokens, curve, h, codec);
    }
  }

  Result dataParallel() {
    long t0 = nanos.getAsLong();
    Series curve = new Series("sync DP N=" + cfg.workers());
    List<Batch> val = WindowSampler.evaluationBatches(data.validation(), cfg.rows(), cfg.model().context(), cfg.evalBatches());
    List<String> workers = RoundMembership.ids(cfg.workers());
    List<BatchSource> sources = new ArrayList<>();
    for (String w : workers) {
      List<Shard> shards = ShardAssignment.shardsFor(w, workers, data.train());
      sources.add(new WindowSampler(shards, cfg.rows(), cfg.model().context(), LocalDiloco.streamSeed(cfg.seed(), w, 0)));
    }
    BatchSource allReduced = () -> concat(sources);
    try (TorchTrainer t = new TorchTrainer(cfg.model(), inner(cfg.steps()), start)) {
      curve.add(0, t.evaluate(val));
      long tokens = 0;
      int every = evalEvery(cfg.steps());
      for (int done = 0; done < cfg.steps(); done += every) {
        int n = Math.min(every, cfg.steps() - done);
        tokens += t.train(allReduced, n).metrics().tokens();
        curve.add(tokens, t.evaluate(val));
        log.accept(String.format(java.util.Locale.ROOT, "(c) sync DP: step %d/%d val %.4f", done + n, cfg.steps(), last(curve)));
      }
      return new Result("(c) sync data-parallel N=" + cfg.workers(), cfg.steps(), last(curve), cfg.steps() * vectorBytes(), secs(t0), tokens, curve, 0, "");
    }
  }

  private static Batch concat(List<BatchSource> sources) {
    List<Batch> parts = new ArrayList<>();
    for (BatchSource s : sources) parts.add(s.next());
    int ctx = parts.get(0).context(), rows = 0;
    for (Batch b : parts) rows += b.rows();
    int[] in = new int[rows * ctx], out = new int[rows * ctx];
    int o = 0;
    for (Batch b : parts) {
      System.arraycopy(b.inputs(), 0, in, o, b.inputs().length);
      System.arraycopy(b.targets(), 0, out, o, b.targets().length);
      o += b.inputs().length;
    }
    return new Batch(rows, ctx, in, out);
  }

  private static double last(Series s) {
    List<double[]> p = s.points();
    return p.get(p.size() - 1)[1];
  }

  private double secs(long t0) {
    return (nanos.getAsLong() - t0) / 1e9;
  }
}
