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
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.round.Contribution;
import dev.weft.aggregation.round.OuterState;
import dev.weft.aggregation.round.RoundLimits;
import dev.weft.aggregation.round.RoundStep;
import dev.weft.aggregation.round.Sender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DiLoCo with all workers in one process, without a network: each round every active worker loads
 * θ, runs H inner AdamW steps on its own shards, and sends Δ = θ − θ' through its {@link Sender}
 * (the run's codec with error feedback); the aggregation module's {@link RoundStep} — the same one
 * the networked node runs — screens the contributions, aggregates them with the run's rule and
 * applies the outer Nesterov step. A contribution the step rejects is reported in the round's
 * report, never an abort.
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

  /**
   * How contributions travel and combine: the rule, the codec (null: dense float32) and a norm
   * limit per contribution (infinite: none).
   */
  public record Exchange(Aggregator rule, Codec codec, double maxNorm) {
    public Exchange {
      java.util.Objects.requireNonNull(rule, "rule");
      if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be positive");
    }

    public static Exchange of(String ruleSpec, String codecSpec) {
      Codec c = codecSpec == null || codecSpec.equals("none") ? null : dev.weft.aggregation.codec.Codecs.parse(codecSpec);
      return new Exchange(Aggregators.parse(ruleSpec), c, Double.POSITIVE_INFINITY);
    }

    String codecName() {
      return codec == null ? "none" : codec.name();
    }
  }

  private final Config config;
  private final ShardedDataset data;
  private final RoundStep step;
  private final Exchange exchange;
  private final Map<String, Sender> senders = new HashMap<>();
  private final RoundMembership membership;
  private final TrainerFactory factory;
  private final List<Batch> validation;
  private final Map<String, Trainer> trainers = new HashMap<>();
  private final Map<String, BatchSource> streams = new HashMap<>();
  private final Map<String, List<Shard>> assigned = new HashMap<>();
  private final Trainer evaluator;
  private OuterState outer;
  private java.util.function.BiConsumer<String, dev.weft.node.train.TrainMetrics> workerListener = (w, m) -> {};
  private float[] theta;
  private int round;
  private long bytesPerWorker;

  public LocalDiloco(Config config, ShardedDataset data, Exchange exchange, RoundMembership membership,
      TrainerFactory factory, float[] theta, OuterState outer, int startRound) {
    if (theta.length != config.model().layout().size()) throw new IllegalArgumentException("θ does not match the model layout");
    if (outer.dimension() != theta.length) throw new IllegalArgumentException("outer state does not match θ");
    this.config = config;
    this.data = data;
    this.exchange = exchange;
    RoundLimits limits = RoundStep.limitsFor(exchange.codec(), theta.length).withMaxNorm(exchange.maxNorm());
    this.step = new RoundStep(theta.length, exchange.rule(), exchange.codec(), config.outer().optimizer(), limits);
    this.membership = membership;
    this.factory = factory;
    this.theta = theta.clone();
    this.outer = outer;
    this.round = startRound;
    this.validation = WindowSampler.evaluationBatches(data.validation(), config.rows(), config.model().context(), config.evalBatches());
    this.evaluator = factory.create(config.model(), config.inner(), theta);
  }

  /** A fresh run from the model's seeded initialisation. */
  public static LocalDiloco start(Config config, ShardedDataset data, Exchange exchange, RoundMembership membership,
      TrainerFactory factory) {
    float[] theta = config.model().initialParameters(config.seed());
    return new LocalDiloco(config, data, exchange, membership, factory, theta, OuterState.fresh(theta.length), 0);
  }

  /** The plain mean with float32 on the wire (the reference configuration). */
  public static Exchange meanWithoutCodec() {
    return Exchange.of("mean", "none");
  }

  /** Runs one outer round and reports it. */
  public RoundReport runRound() {
    List<String> active = membership.active(round);
    if (active.isEmpty()) throw new IllegalStateException("no active workers in round " + round);
    List<Contribution> contributions = new ArrayList<>();
    double lossSum = 0;
    long tokens = 0, nanos = 0, sent = 0;
    for (String w : active) {
      Trainer t = trainer(w);
      t.loadParameters(theta);
      InnerResult r = t.train(stream(w, active), config.innerSteps());
      float[] delta = new float[theta.length];
      float[] after = r.parameters();
      for (int i = 0; i < delta.length; i++) delta[i] = theta[i] - after[i];
      Sender s = senders.computeIfAbsent(w, k -> new Sender(exchange.codec(), theta.length));
      if (allFinite(delta)) {
        // Unweighted: every worker ran the same H steps on the same batch size.
        contributions.add(s.contribute(w, delta, 1.0));
        sent = Math.max(sent, s.lastBytes());
      } else {
        // A diverged worker: no encoder takes NaN, so hand it over raw for the step to reject.
        contributions.add(new Contribution.Dense(w, delta, 1.0));
      }
      workerListener.accept(w, r.metrics());
      lossSum += r.metrics().meanLoss();
      tokens += r.metrics().tokens();
      nanos += r.metrics().nanos();
    }
    RoundStep.Outcome o;
    try (ChunkRunner serial = ChunkRunner.serial()) {
      o = step.apply(theta, outer, contributions, roundSeed(config.seed(), round), serial);
    }
    if (o.succeeded()) {
      theta = o.theta();
      outer = o.state();
    }
    // one contribution up and the aggregate back down, both in the run's codec
    bytesPerWorker += 2L * sent;
    double val = validationLoss();
    return new RoundReport(round++, active, lossSum / active.size(), val, tokens, bytesPerWorker, nanos, o.reports(), o.failure());
  }

  private static boolean allFinite(float[] v) {
    for (float x : v) if (!Float.isFinite(x)) return false;
    return true;
  }

  /** The round's seed for seeded rules (bucketing): public, so no contributor can choose it. */
  public static long roundSeed(long seed, int round) {
    return seed * 0x9E3779B97F4A7C15L + round;
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

  /** Outer momentum, rounds applied and the previous aggregate. */
  public OuterState outerState() {
    return outer;
  }

  public RoundStep step() {
    return step;
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
