package dev.weft.node.train.diloco;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.InnerResult;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.OptimizerState;
import dev.weft.node.train.Trainer;
import dev.weft.node.train.data.Shard;
import dev.weft.node.train.data.ShardAssignment;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.WindowSampler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DiLoCo with all workers in one process, without a network: each round every active worker loads
 * θ, runs H inner AdamW steps on its own shards, and returns Δ = θ − θ'; the aggregate of the Δs
 * goes through the outer optimizer to give the next θ.
 *
 * <p>Each worker keeps its trainer (and so its AdamW moments and schedule position) across rounds,
 * as in the paper. A worker joining late starts with zero moments at the round's schedule
 * position. A worker's batch stream lives as long as its shard assignment; a change of membership
 * that moves shards gives it a fresh stream seeded by (seed, worker, round). Workers run one after
 * another on the calling thread (LibTorch already uses the cores), so a run is deterministic.
 * Not thread-safe.
 */
public final class LocalDiloco implements AutoCloseable {
  /** Builds a worker's trainer from the model, inner optimizer settings and initial θ. */
  @FunctionalInterface
  public interface TrainerFactory {
    Trainer create(ModelSpec model, AdamWConfig inner, float[] initial);
  }

  /** Settings of a local run; {@code rows} is each worker's batch size in sequences. */
  public record Config(ModelSpec model, int innerSteps, int rows, AdamWConfig inner, OuterConfig outer, long seed, int evalBatches) {
    public Config {
      if (innerSteps < 1 || rows < 1 || evalBatches < 1) throw new IllegalArgumentException("innerSteps, rows and evalBatches must be positive");
    }
  }

  private final Config config;
  private final ShardedDataset data;
  private final PseudoGradientAggregator aggregator;
  private final RoundMembership membership;
  private final TrainerFactory factory;
  private final List<Batch> validation;
  private final Map<String, Trainer> trainers = new HashMap<>();
  private final Map<String, BatchSource> streams = new HashMap<>();
  private final Map<String, List<Shard>> assigned = new HashMap<>();
  private final Trainer evaluator;
  private final OuterOptimizer outer;
  private java.util.function.BiConsumer<String, dev.weft.node.train.TrainMetrics> workerListener = (w, m) -> {};
  private float[] theta;
  private int round;
  private long bytesPerWorker;

  public LocalDiloco(Config config, ShardedDataset data, PseudoGradientAggregator aggregator, RoundMembership membership,
      TrainerFactory factory, float[] theta, OuterOptimizer outer, int startRound) {
    if (theta.length != config.model().layout().size()) throw new IllegalArgumentException("θ does not match the model layout");
    if (outer.momentum().length != theta.length) throw new IllegalArgumentException("outer state does not match θ");
    this.config = config;
    this.data = data;
    this.aggregator = aggregator;
    this.membership = membership;
    this.factory = factory;
    this.theta = theta.clone();
    this.outer = outer;
    this.round = startRound;
    this.validation = WindowSampler.evaluationBatches(data.validation(), config.rows(), config.model().context(), config.evalBatches());
    this.evaluator = factory.create(config.model(), config.inner(), theta);
  }

  /** A fresh run from the model's seeded initialisation. */
  public static LocalDiloco start(Config config, ShardedDataset data, PseudoGradientAggregator aggregator, RoundMembership membership,
      TrainerFactory factory) {
    float[] theta = config.model().initialParameters(config.seed());
    return new LocalDiloco(config, data, aggregator, membership, factory, theta, new OuterOptimizer(config.outer(), theta.length), 0);
  }

  /** The plain mean with float32 on the wire (the reference configuration). */
  public static PseudoGradientAggregator meanWithoutCodec() {
    return new MeanAggregator();
  }

  /** Runs one outer round and reports it. */
  public RoundReport runRound() {
    List<String> active = membership.active(round);
    if (active.isEmpty()) throw new IllegalStateException("no active workers in round " + round);
    List<Contribution> contributions = new ArrayList<>();
    double lossSum = 0;
    long tokens = 0, nanos = 0;
    for (String w : active) {
      Trainer t = trainer(w);
      t.loadParameters(theta);
      InnerResult r = t.train(stream(w, active), config.innerSteps());
      float[] delta = new float[theta.length];
      float[] after = r.parameters();
      for (int i = 0; i < delta.length; i++) delta[i] = theta[i] - after[i];
      contributions.add(new Contribution(w, delta, r.metrics().tokens()));
      workerListener.accept(w, r.metrics());
      lossSum += r.metrics().meanLoss();
      tokens += r.metrics().tokens();
      nanos += r.metrics().nanos();
    }
    theta = outer.apply(theta, aggregator.aggregate(contributions));
    bytesPerWorker += 2L * Float.BYTES * theta.length;
    double val = validationLoss();
    return new RoundReport(round++, active, lossSum / active.size(), val, tokens, bytesPerWorker, nanos);
  }

  public double validationLoss() {
    evaluator.loadParameters(theta);
    return evaluator.evaluate(validation);
  }

  private Trainer trainer(String worker) {
    Trainer t = trainers.get(worker);
    if (t == null) {
      t = factory.create(config.model(), config.inner(), theta);
      if (round > 0) t.loadOptimizerState(new OptimizerState((long) round * config.innerSteps(), new float[theta.length], new float[theta.length]));
      trainers.put(worker, t);
    }
    return t;
  }

  private BatchSource stream(String worker, List<String> active) {
    List<Shard> shards = ShardAssignment.shardsFor(worker, active, data.train());
    if (!shards.equals(assigned.get(worker))) {
      assigned.put(worker, shards);
      streams.put(worker, new WindowSampler(shards, config.rows(), config.model().context(), streamSeed(config.seed(), worker, round)));
    }
    return streams.get(worker);
  }

  /** Called on the run's thread after each worker's inner steps (for progress display). */
  public void onWorkerDone(java.util.function.BiConsumer<String, dev.weft.node.train.TrainMetrics> listener) {
    this.workerListener = listener;
  }

  /** Seed of a worker's batch stream created in {@code round}. */
  public static long streamSeed(long seed, String worker, int round) {
    return seed * 1_000_003L + worker.hashCode() * 31L + round;
  }

  public float[] theta() {
    return theta.clone();
  }

  public OuterOptimizer outer() {
    return outer;
  }

  public int round() {
    return round;
  }

  public List<Batch> validationBatches() {
    return validation;
  }

  /** Shards the worker trained on in its latest round. */
  public List<Shard> shardsOf(String worker) {
    return assigned.getOrDefault(worker, List.of());
  }

  @Override public void close() {
    trainers.values().forEach(Trainer::close);
    trainers.clear();
    evaluator.close();
  }
}
