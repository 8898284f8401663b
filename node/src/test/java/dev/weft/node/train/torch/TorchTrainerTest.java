package dev.weft.node.train.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.InnerResult;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.MlpConfig;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.OptimizerState;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.node.train.data.WindowSampler;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchTrainerTest {
  static final GptConfig TINY = new GptConfig("t", 2, 32, 4, 16);

  static AdamWConfig adam(double lr) {
    return AdamWConfig.defaults(new LrSchedule(lr, 5, 200, 0.1));
  }

  @Test void flatVectorRoundTripsExactly() {
    for (ModelSpec spec : List.of(TINY, new MlpConfig("m", 2, 8))) {
      float[] p = spec.initialParameters(7);
      p[0] = Float.MIN_VALUE; // subnormal
      p[1] = -0.0f;
      p[p.length - 1] = Float.MAX_VALUE;
      try (TorchTrainer t = new TorchTrainer(spec, adam(1e-3), p)) {
        float[] back = t.parameters();
        assertThat(back).hasSize(spec.layout().size());
        for (int i = 0; i < p.length; i++) assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(p[i]));
      }
    }
  }

  @Test void rejectsWrongLengthAndNonFiniteParameters() {
    try (TorchTrainer t = new TorchTrainer(TINY, adam(1e-3), TINY.initialParameters(1))) {
      assertThatThrownBy(() -> t.loadParameters(new float[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
      float[] p = TINY.initialParameters(1);
      p[5] = Float.NaN;
      assertThatThrownBy(() -> t.loadParameters(p)).hasMessageContaining("not finite at index 5");
    }
  }

  @Test void nonFiniteLossStopsTrainingAndKeepsParameters() {
    float[] p = TINY.initialParameters(1);
    var wte = TINY.layout().entry("wte");
    for (long i = wte.offset(); i < wte.end(); i++) p[(int) i] *= 1e37f; // tied logits overflow to ±inf
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(5, 40_000), 4096, 64);
    try (TorchTrainer t = new TorchTrainer(TINY, adam(1e-3), p)) {
      assertThatThrownBy(() -> t.train(new WindowSampler(ds.train(), 2, TINY.context(), 1), 3))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("non-finite training loss at step 0");
      assertThat(t.parameters()).containsExactly(p);
      assertThat(t.optimizerState().step()).isZero();
    }
  }

  @Test void tinyGptOverfitsATinyDataset() {
    // Random rows: every next byte is determined by its row's prefix, so zero loss is reachable.
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    int ctx = 16;
    int rows = 4;
    int[] in = new int[rows * ctx], out = new int[rows * ctx];
    for (int r = 0; r < rows; r++) {
      int prev = random.nextInt(256);
      for (int t = 0; t < ctx; t++) {
        in[r * ctx + t] = prev;
        prev = random.nextInt(256);
        out[r * ctx + t] = prev;
      }
    }
    Batch b = new Batch(rows, ctx, in, out);
    try (TorchTrainer t = new TorchTrainer(TINY, new AdamWConfig(0.9, 0.99, 1e-8, 0.0, 1.0, LrSchedule.constant(1e-2)), TINY.initialParameters(3))) {
      InnerResult r = t.train(() -> b, 200);
      assertThat(r.metrics().lossPerStep()[0]).isGreaterThan(5.0); // ln 256 = 5.55 at init
      assertThat(r.metrics().lastLoss()).isLessThan(0.05);
      assertThat(t.evaluate(List.of(b))).isLessThan(0.05);
    }
  }

  @Test void sameSeedSameBits() {
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(5, 40_000), 4096, 64);
    float[][] results = new float[2][];
    for (int k = 0; k < 2; k++) {
      try (TorchTrainer t = new TorchTrainer(TINY, adam(3e-3), TINY.initialParameters(11))) {
        results[k] = t.train(new WindowSampler(ds.train(), 4, TINY.context(), 99), 10).parameters();
      }
    }
    assertThat(results[0]).containsExactly(results[1]);
    assertThat(results[0]).isNotEqualTo(TINY.initialParameters(11));
  }

  @Test void optimizerStateRoundTripsAndContinuesTraining() {
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(5, 40_000), 4096, 64);
    float[] straight;
    try (TorchTrainer t = new TorchTrainer(TINY, adam(3e-3), TINY.initialParameters(2))) {
      WindowSampler s = new WindowSampler(ds.train(), 4, TINY.context(), 1);
      t.train(s, 5);
      straight = t.train(s, 5).parameters();
    }
    OptimizerState mid;
    float[] midParams;
    WindowSampler s = new WindowSampler(ds.train(), 4, TINY.context(), 1);
    try (TorchTrainer t = new TorchTrainer(TINY, adam(3e-3), TINY.initialParameters(2))) {
      midParams = t.train(s, 5).parameters();
      mid = t.optimizerState();
    }
    assertThat(mid.step()).isEqualTo(5);
    try (TorchTrainer t = new TorchTrainer(TINY, adam(3e-3), midParams)) {
      t.loadOptimizerState(mid);
      assertThat(t.train(s, 5).parameters()).containsExactly(straight);
    }
  }

  @Test void mlpTrainsAndLossFalls() {
    MlpConfig mlp = new MlpConfig("m", 3, 64);
    ShardedDataset ds = ShardedDataset.split(SyntheticCorpus.generate(5, 60_000), 4096, 64);
    try (TorchTrainer t = new TorchTrainer(mlp, adam(1e-2), mlp.initialParameters(2))) {
      List<Batch> val = WindowSampler.evaluationBatches(ds.validation(), 64, 3, 8);
      double before = t.evaluate(val);
      t.train(new WindowSampler(ds.train(), 64, 3, 1), 100);
      double after = t.evaluate(val);
      assertThat(before).isGreaterThan(5.0);
      assertThat(after).isLessThan(before - 1.5);
    }
  }
}
