package dev.weft.node.train.torch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.GptConfig;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.ParamLayout;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Autograd gradients of the GPT, in double precision, against central finite differences. */
class GptGradientCheckTest {
  @Test void gradientsMatchFiniteDifferencesForEveryParameterTensor() {
    GptConfig cfg = new GptConfig("g", 2, 8, 2, 5);
    ParamLayout layout = cfg.layout();
    SplittableRandom r = new SplittableRandom(17);
    double[] p = new double[layout.size()];
    float[] init = cfg.initialParameters(3);
    // Perturb everything (gains and biases too) so no parameter sits at a special point, and scale
    // weights up so attention is not uniform.
    for (int i = 0; i < p.length; i++) p[i] = init[i] * 8 + (r.nextDouble() - 0.5) * 0.2;
    int rows = 2, ctx = 5;
    int[] in = new int[rows * ctx], out = new int[rows * ctx];
    for (int i = 0; i < in.length; i++) {
      in[i] = r.nextInt(256);
      out[i] = r.nextInt(256);
    }
    in[3] = in[1]; // a repeated token, so embedding rows receive summed gradients
    Batch b = new Batch(rows, ctx, in, out);
    try (TorchTrainer t = new TorchTrainer(cfg, AdamWConfig.defaults(LrSchedule.constant(1e-3)), torch.ScalarType.Double,
        new Device(torch.DeviceType.CPU, (byte) -1))) {
      t.loadParameters(p);
      double[] grad = t.lossAndGradient(b).gradient();
      double eps = 1e-6;
      for (ParamLayout.Entry e : layout.entries()) {
        // three coordinates per tensor; for wte, include the rows of the tokens actually used
        int[] picks = e.name().equals("wte")
            ? new int[] {(int) e.offset() + in[0] * cfg.width(), (int) e.offset() + out[2] * cfg.width() + 1, (int) e.offset() + in[3] * cfg.width() + 2}
            : new int[] {(int) e.offset(), (int) (e.offset() + e.numel() / 2), (int) (e.end() - 1)};
        for (int i : picks) {
          double orig = p[i];
          p[i] = orig + eps;
          t.loadParameters(p);
          double up = t.lossAndGradient(b).loss();
          p[i] = orig - eps;
          t.loadParameters(p);
          double down = t.lossAndGradient(b).loss();
          p[i] = orig;
          double numeric = (up - down) / (2 * eps);
          assertThat(Math.abs(grad[i] - numeric)).as("%s[%d]: autograd %g, numeric %g", e.name(), i - e.offset(), grad[i], numeric)
              .isLessThan(1e-7 + 1e-5 * Math.abs(numeric));
        }
      }
      t.loadParameters(p);
      double norm = 0;
      for (double g : grad) norm += g * g;
      assertThat(norm).isGreaterThan(1e-6);
    }
  }

  @Test void attentionIsCausal() {
    GptConfig cfg = new GptConfig("g", 1, 16, 2, 8);
    SplittableRandom r = new SplittableRandom(2);
    int[] in = new int[8], out = new int[8];
    for (int i = 0; i < 8; i++) {
      in[i] = r.nextInt(256);
      out[i] = r.nextInt(256);
    }
    try (TorchTrainer t = new TorchTrainer(cfg, AdamWConfig.defaults(LrSchedule.constant(1e-3)), cfg.initialParameters(1))) {
      int[] in2 = in.clone();
      for (int i = 4; i < 8; i++) in2[i] = (in[i] + 1) % 256;
      float[] a = t.gptLogits(new Batch(1, 8, in, out));
      float[] b = t.gptLogits(new Batch(1, 8, in2, out));
      int v = 256;
      // positions 0..3 see only inputs 0..3: identical; positions 4..7 see the changed bytes
      assertThat(java.util.Arrays.copyOfRange(a, 0, 4 * v)).containsExactly(java.util.Arrays.copyOfRange(b, 0, 4 * v));
      for (int pos = 4; pos < 8; pos++) {
        assertThat(java.util.Arrays.copyOfRange(a, pos * v, (pos + 1) * v)).isNotEqualTo(java.util.Arrays.copyOfRange(b, pos * v, (pos + 1) * v));
      }
    }
  }
}
