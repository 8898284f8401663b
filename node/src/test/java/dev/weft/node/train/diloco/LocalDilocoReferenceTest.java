package dev.weft.node.train.diloco;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.data.ShardAssignment;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchTrainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refactor proof: {@link LocalDiloco} with the mean and no codec gives, bit for bit, the θ of
 * the round loop weft had before the shared round step — node's own MeanAggregator (worker-id
 * order, double sums, one division) and its own outer Nesterov step, both copied here verbatim as
 * the reference. This test was first run against the old LocalDiloco (where it passed trivially
 * on the same code), then kept unchanged while LocalDiloco moved onto the aggregation module's
 * RoundStep.
 */
class LocalDilocoReferenceTest {
  static final int WORKERS = 3, H = 5, ROUNDS = 3;

  @Test void meanWithoutCodecEqualsTheOldRoundLoopBitForBit() {
    OuterConfig outer = OuterConfig.diloco();
    LocalDiloco.Config cfg = LocalDilocoTest.config(outer, H);
    float[] expected = reference(cfg, outer);
    try (LocalDiloco run = LocalDiloco.start(cfg, LocalDilocoTest.DATA, LocalDiloco.meanWithoutCodec(), RoundMembership.fixed(WORKERS),
        TorchTrainer::new)) {
      for (int r = 0; r < ROUNDS; r++) run.runRound();
      float[] got = run.theta();
      assertThat(LocalDilocoTest.bitEqual(expected, got)).isEqualTo(expected.length);
      // and training moved θ, so equality is not of two untouched initialisations
      assertThat(LocalDilocoTest.maxAbsDiff(got, cfg.model().initialParameters(cfg.seed()))).isGreaterThan(1e-3);
    }
  }

  /** The pre-refactor loop: fixed membership, each worker's trainer and stream kept across rounds. */
  static float[] reference(LocalDiloco.Config cfg, OuterConfig outer) {
    List<String> ids = RoundMembership.ids(WORKERS);
    float[] theta = cfg.model().initialParameters(cfg.seed());
    float[] momentum = new float[theta.length];
    List<TorchTrainer> trainers = new ArrayList<>();
    List<BatchSource> streams = new ArrayList<>();
    try {
      for (String w : ids) {
        trainers.add(new TorchTrainer(cfg.model(), cfg.inner(), theta));
        streams.add(new WindowSampler(ShardAssignment.shardsFor(w, ids, LocalDilocoTest.DATA.train()), cfg.rows(), cfg.model().context(),
            LocalDiloco.streamSeed(cfg.seed(), w, 0)));
      }
      for (int round = 0; round < ROUNDS; round++) {
        double[] sum = new double[theta.length];
        for (int k = 0; k < WORKERS; k++) {
          trainers.get(k).loadParameters(theta);
          float[] after = trainers.get(k).train(streams.get(k), cfg.innerSteps()).parameters();
          for (int i = 0; i < theta.length; i++) sum[i] += theta[i] - after[i]; // float Δ, then double sum
        }
        float[] delta = new float[theta.length];
        for (int i = 0; i < theta.length; i++) delta[i] = (float) (sum[i] / WORKERS);
        theta = oldOuterStep(outer, theta, momentum, delta);
      }
      return theta;
    } finally {
      trainers.forEach(TorchTrainer::close);
    }
  }

  /** node's OuterOptimizer.apply before the refactor. */
  static float[] oldOuterStep(OuterConfig config, float[] theta, float[] momentum, float[] delta) {
    float[] out = new float[theta.length];
    double mu = config.momentum(), lr = config.lr();
    for (int i = 0; i < theta.length; i++) {
      double d = delta[i];
      double u = d;
      if (mu > 0) {
        double b = mu * momentum[i] + d;
        momentum[i] = (float) b;
        u = config.nesterov() ? d + mu * b : b;
      }
      out[i] = (float) (theta[i] - lr * u);
    }
    return out;
  }
}
