package dev.weft.aggregation.sim;

import dev.weft.aggregation.AggregationInput;
import dev.weft.aggregation.AggregationResult;
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Bucketing;
import dev.weft.aggregation.ChunkRunner;
import dev.weft.aggregation.attack.Attack;
import dev.weft.aggregation.attack.AttackContext;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.aggregation.codec.ErrorFeedback;
import dev.weft.aggregation.codec.MalformedUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains {@link SoftmaxModel} on a {@link SyntheticTask} in the DiLoCo pattern (Douillard et al.,
 * 2023) with n workers of which the last f are Byzantine: each round every honest worker takes H
 * local SGD steps from θ and sends Δ = θ − θ_local; the attackers see the honest Δs and send what
 * the attack crafts; everything is encoded and decoded with the codec (honest workers with error
 * feedback); the aggregate drives an outer Nesterov-momentum step. Fully determined by the config's
 * seed.
 */
public final class DiLoCoSimulation {
  /** Parameters of one run. */
  public record Config(
      int workers,
      int byzantine,
      int rounds,
      int localSteps,
      int batch,
      double innerLr,
      double outerLr,
      double outerMomentum,
      long seed) {
    public Config {
      if (byzantine < 0 || byzantine >= workers) throw new IllegalArgumentException("need 0 <= f < n");
    }

    /** n = 16, 30 rounds of 10 local steps: a few hundred milliseconds per run. */
    public static Config standard(int byzantine, long seed) {
      return new Config(16, byzantine, 30, 10, 16, 0.1, 0.7, 0.9, seed);
    }

    public Config withRounds(int r) {
      return new Config(workers, byzantine, r, localSteps, batch, innerLr, outerLr, outerMomentum, seed);
    }

    public Config withSeed(long s) {
      return new Config(workers, byzantine, rounds, localSteps, batch, innerLr, outerLr, outerMomentum, s);
    }
  }

  /** What a run produced. */
  public record Outcome(double testAccuracy, int failedRounds, int byzantineAccepted) {}

  private static final int CLASSES = 10;
  private static final int FEATURES = 20;
  private static final int SAMPLES_PER_WORKER = 200;
  private static final int TEST_SIZE = 2000;
  /** Cluster spread that a linear model can separate to roughly 90% accuracy. */
  private static final double SEPARATION = 0.8;

  private static final double SKEW = 0.9;

  private DiLoCoSimulation() {}

  public static Outcome run(Config cfg, Aggregator rule, Attack attack, Codec codecOrNull) {
    SyntheticTask task =
        new SyntheticTask(cfg.seed(), CLASSES, FEATURES, cfg.workers(), SAMPLES_PER_WORKER, TEST_SIZE, SEPARATION, SKEW);
    SoftmaxModel model = new SoftmaxModel(CLASSES, FEATURES);
    int d = model.parameters();
    int honest = cfg.workers() - cfg.byzantine();
    float[] theta = new float[d];
    double[] momentum = new double[d];
    ErrorFeedback[] feedback = new ErrorFeedback[honest];
    if (codecOrNull != null) for (int w = 0; w < honest; w++) feedback[w] = new ErrorFeedback(codecOrNull, d);
    SplittableRandom rng = new SplittableRandom(cfg.seed() * 31 + 7);
    float[] previous = null;
    int failed = 0;
    int byzantineAccepted = 0;
    try (ChunkRunner runner = ChunkRunner.serial()) {
      for (int round = 0; round < cfg.rounds(); round++) {
        List<float[]> deltas = new ArrayList<>(honest);
        for (int w = 0; w < honest; w++) {
          float[] local = theta.clone();
          model.train(local, task.workerX[w], task.workerY[w], cfg.localSteps(), cfg.batch(), cfg.innerLr(), rng.split());
          float[] delta = new float[d];
          for (int i = 0; i < d; i++) delta[i] = theta[i] - local[i];
          deltas.add(delta);
        }
        List<float[]> bad =
            cfg.byzantine() == 0
                ? List.of()
                : attack.craft(new AttackContext(deltas, cfg.byzantine(), previous, cfg.seed() ^ round));
        List<AggregationInput> inputs = new ArrayList<>(cfg.workers());
        for (int w = 0; w < honest; w++) {
          float[] sent = codecOrNull == null ? deltas.get(w) : transmit(feedback[w].encode(deltas.get(w)), d);
          inputs.add(AggregationInput.of(String.format("w%02d", w), sent));
        }
        for (int b = 0; b < bad.size(); b++) {
          float[] v = bad.get(b);
          if (codecOrNull != null && allFinite(v)) v = transmit(codecOrNull.encode(v), d);
          inputs.add(AggregationInput.of(String.format("w%02d", honest + b), v));
        }
        Aggregator r = rule instanceof Bucketing bk ? bk.withSeed(cfg.seed() * 1000 + round) : rule;
        AggregationResult result = r.aggregate(inputs, runner);
        if (!result.succeeded()) {
          failed++;
          continue;
        }
        for (int b = 0; b < bad.size(); b++) {
          if (result.report(String.format("w%02d", honest + b)).influence() > 0.5) byzantineAccepted++;
        }
        float[] g = result.aggregate();
        for (int i = 0; i < d; i++) {
          momentum[i] = cfg.outerMomentum() * momentum[i] + g[i];
          theta[i] -= (float) (cfg.outerLr() * (g[i] + cfg.outerMomentum() * momentum[i]));
        }
        previous = g;
      }
    }
    return new Outcome(model.accuracy(theta, task.testX, task.testY), failed, byzantineAccepted);
  }

  private static boolean allFinite(float[] v) {
    for (float x : v) if (!Float.isFinite(x)) return false;
    return true;
  }

  private static float[] transmit(byte[] encoded, int d) {
    try {
      return Codecs.decode(encoded, d);
    } catch (MalformedUpdateException e) {
      throw new IllegalStateException("own encoding rejected", e);
    }
  }
}
