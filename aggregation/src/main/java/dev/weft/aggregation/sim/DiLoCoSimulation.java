package dev.weft.aggregation.sim;

import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.attack.Attack;
import dev.weft.aggregation.attack.AttackContext;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.round.Contribution;
import dev.weft.aggregation.round.Nesterov;
import dev.weft.aggregation.round.OuterState;
import dev.weft.aggregation.round.RoundStep;
import dev.weft.aggregation.round.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains {@link SoftmaxModel} on a {@link SyntheticTask} in the DiLoCo pattern (Douillard et al.,
 * 2023) with n workers of which the last f are Byzantine, through the same {@link RoundStep} as
 * the trainer and the node: each round every worker (attackers too: they have data) takes H local
 * SGD steps from θ and computes Δ = θ − θ_local; honest workers send Δ through the codec with error
 * feedback ({@link Sender}); the attackers see every honest Δ, their own, the rule and the previous
 * aggregate, and send what the attack crafts; the round step screens, aggregates and applies the
 * outer Nesterov step. Fully determined by the config's seed.
 */
public final class DiLoCoSimulation {
  /**
   * Parameters of one run; {@code skew} is the fraction of each worker's samples drawn from its two
   * home classes (0: IID).
   */
  public record Config(
      int workers,
      int byzantine,
      int rounds,
      int localSteps,
      int batch,
      double innerLr,
      double outerLr,
      double outerMomentum,
      long seed,
      double skew) {
    public Config {
      if (byzantine < 0 || byzantine >= workers) throw new IllegalArgumentException("need 0 <= f < n");
      if (!(skew >= 0 && skew <= 1)) throw new IllegalArgumentException("skew must be in [0, 1]");
    }

    /** n = 16, 30 rounds of 10 local steps, non-IID: a few hundred milliseconds per run. */
    public static Config standard(int byzantine, long seed) {
      return new Config(16, byzantine, 30, 10, 16, 0.1, 0.7, 0.9, seed, NON_IID_SKEW);
    }

    public Config withRounds(int r) {
      return new Config(workers, byzantine, r, localSteps, batch, innerLr, outerLr, outerMomentum, seed, skew);
    }

    public Config withSeed(long s) {
      return new Config(workers, byzantine, rounds, localSteps, batch, innerLr, outerLr, outerMomentum, s, skew);
    }

    public Config withSkew(double k) {
      return new Config(workers, byzantine, rounds, localSteps, batch, innerLr, outerLr, outerMomentum, seed, k);
    }
  }

  /**
   * What a run produced: final test accuracy, rounds whose step failed, Byzantine contributions
   * that kept more than half their weight, and contributions the round step rejected outright.
   */
  public record Outcome(double testAccuracy, int failedRounds, int byzantineAccepted, int rejected) {}

  /** 90% of each worker's samples from its two home classes. */
  public static final double NON_IID_SKEW = 0.9;

  private static final int CLASSES = 10;
  private static final int FEATURES = 20;
  private static final int SAMPLES_PER_WORKER = 200;
  private static final int TEST_SIZE = 2000;
  /** Cluster spread that a linear model can separate to roughly 90% accuracy. */
  private static final double SEPARATION = 0.8;

  private DiLoCoSimulation() {}

  public static String key(int worker) {
    return String.format("w%02d", worker);
  }

  /**
   * Every worker's pseudo-gradient of the first round (from θ = 0), honest workers first, then the
   * attackers' own: real non-IID (or IID) inputs for round-level tests of attacks and rules.
   */
  public static List<float[]> firstRoundDeltas(Config cfg) {
    SyntheticTask task =
        new SyntheticTask(cfg.seed(), CLASSES, FEATURES, cfg.workers(), SAMPLES_PER_WORKER, TEST_SIZE, SEPARATION, cfg.skew());
    SoftmaxModel model = new SoftmaxModel(CLASSES, FEATURES);
    SplittableRandom rng = new SplittableRandom(cfg.seed() * 31 + 7);
    List<float[]> out = new ArrayList<>();
    for (int w = 0; w < cfg.workers(); w++) {
      float[] local = new float[model.parameters()];
      model.train(local, task.workerX[w], task.workerY[w], cfg.localSteps(), cfg.batch(), cfg.innerLr(), rng.split());
      for (int i = 0; i < local.length; i++) local[i] = -local[i];
      out.add(local);
    }
    return out;
  }

  public static Outcome run(Config cfg, Aggregator rule, Attack attack, Codec codecOrNull) {
    SyntheticTask task =
        new SyntheticTask(cfg.seed(), CLASSES, FEATURES, cfg.workers(), SAMPLES_PER_WORKER, TEST_SIZE, SEPARATION, cfg.skew());
    SoftmaxModel model = new SoftmaxModel(CLASSES, FEATURES);
    int d = model.parameters();
    int n = cfg.workers();
    int honest = n - cfg.byzantine();
    RoundStep step = new RoundStep(d, rule, codecOrNull, new Nesterov(cfg.outerLr(), cfg.outerMomentum(), true),
        RoundStep.limitsFor(codecOrNull, d));
    float[] theta = new float[d];
    OuterState state = OuterState.fresh(d);
    Sender[] senders = new Sender[honest];
    for (int w = 0; w < honest; w++) senders[w] = new Sender(codecOrNull, d);
    SplittableRandom rng = new SplittableRandom(cfg.seed() * 31 + 7);
    int failed = 0, byzantineAccepted = 0, rejected = 0;
    List<String> badKeys = new ArrayList<>();
    for (int b = honest; b < n; b++) badKeys.add(key(b));
    try (ChunkRunner runner = ChunkRunner.serial()) {
      for (int round = 0; round < cfg.rounds(); round++) {
        List<float[]> deltas = new ArrayList<>(n);
        for (int w = 0; w < n; w++) {
          float[] local = theta.clone();
          model.train(local, task.workerX[w], task.workerY[w], cfg.localSteps(), cfg.batch(), cfg.innerLr(), rng.split());
          float[] delta = new float[d];
          for (int i = 0; i < d; i++) delta[i] = theta[i] - local[i];
          deltas.add(delta);
        }
        List<Contribution> inputs = new ArrayList<>(n);
        for (int w = 0; w < honest; w++) inputs.add(senders[w].contribute(key(w), deltas.get(w), 1.0));
        long roundSeed = cfg.seed() * 1000 + round;
        if (cfg.byzantine() > 0) {
          AttackContext ctx = new AttackContext(deltas.subList(0, honest), deltas.subList(honest, n), cfg.byzantine(),
              state.previousAggregate(), cfg.seed() ^ round, dev.weft.aggregation.Aggregators.forRound(rule, roundSeed, state.previousAggregate()));
          inputs.addAll(attack.contributions(ctx, codecOrNull, badKeys));
        }
        RoundStep.Outcome out = step.apply(theta, state, inputs, roundSeed, runner);
        for (String k : badKeys) {
          if (cfg.byzantine() == 0) break;
          var r = out.report(k);
          if (r.influence() > 0.5) byzantineAccepted++;
        }
        rejected += out.keysWith(dev.weft.aggregation.Verdict.REJECTED).size();
        if (!out.succeeded()) {
          failed++;
          continue;
        }
        theta = out.theta();
        state = out.state();
      }
    }
    return new Outcome(model.accuracy(theta, task.testX, task.testY), failed, byzantineAccepted, rejected);
  }
}
