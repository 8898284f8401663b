package dev.weft.node.train.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.MlpConfig;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.node.train.data.WindowSampler;
import dev.weft.node.train.torch.TorchTrainer;
import org.junit.jupiter.api.Test;

/** The LibTorch MLP and the hand-written Java MLP agree on loss and gradient. */
class JavaMlpOracleTest {
  static final MlpConfig MLP = new MlpConfig("m", 3, 32);

  @Test void lossAndGradientsAgreeWithLibTorch() {
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(9, 30_000), 4096, 64);
    WindowSampler sampler = new WindowSampler(ds.train(), 16, MLP.window(), 3);
    JavaMlp oracle = new JavaMlp(MLP);
    for (long seed = 1; seed <= 3; seed++) {
      float[] p = MLP.initialParameters(seed);
      // larger weights than at init so tanh saturates in places and the check is not near-linear
      for (int i = 0; i < p.length; i++) p[i] *= 3;
      Batch b = sampler.next();
      try (TorchTrainer t = new TorchTrainer(MLP, AdamWConfig.defaults(LrSchedule.constant(1e-3)), p)) {
        TorchTrainer.LossAndGradient torch = t.lossAndGradient(b);
        JavaMlp.LossGrad java = oracle.lossAndGradient(p, b);
        assertThat(torch.loss()).isCloseTo(java.loss(), within(1e-5 * Math.max(1, java.loss())));
        double maxAbs = 0, maxDiff = 0;
        for (int i = 0; i < p.length; i++) {
          maxAbs = Math.max(maxAbs, Math.abs(java.gradient()[i]));
          maxDiff = Math.max(maxDiff, Math.abs(java.gradient()[i] - torch.gradient()[i]));
        }
        assertThat(maxAbs).isGreaterThan(1e-3); // a real gradient, not all zeros
        assertThat(maxDiff).isLessThan(1e-5 * maxAbs + 1e-7);
      }
    }
  }

  @Test void oracleGradientMatchesFiniteDifferences() {
    MlpConfig small = new MlpConfig("s", 2, 5);
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(9, 30_000), 4096, 64);
    Batch b = new WindowSampler(ds.train(), 4, small.window(), 3).next();
    float[] p = small.initialParameters(5);
    JavaMlp oracle = new JavaMlp(small);
    double[] g = oracle.lossAndGradient(p, b).gradient();
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    int checked = 0;
    for (int trial = 0; trial < 400 && checked < 40; trial++) {
      int i = r.nextInt(p.length);
      if (g[i] == 0) continue; // untouched one-hot rows
      float orig = p[i];
      float h = 1e-2f;
      p[i] = orig + h;
      double up = oracle.lossAndGradient(p, b).loss();
      p[i] = orig - h;
      double down = oracle.lossAndGradient(p, b).loss();
      p[i] = orig;
      double numeric = (up - down) / ((double) (orig + h) - (double) (orig - h));
      assertThat(g[i]).as("parameter %d", i).isCloseTo(numeric, within(1e-4 + 1e-2 * Math.abs(numeric)));
      checked++;
    }
    assertThat(checked).isEqualTo(40);
  }
}
