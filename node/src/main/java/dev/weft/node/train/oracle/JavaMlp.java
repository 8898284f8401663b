package dev.weft.node.train.oracle;

import dev.weft.node.train.Batch;
import dev.weft.node.train.MlpConfig;
import dev.weft.node.train.ParamLayout;

/**
 * The byte MLP of {@link MlpConfig} in plain Java with a hand-written backward pass: the
 * native-free oracle the LibTorch MLP is checked against. Computes in double precision from the
 * float32 parameters, so its answer is the reference the float32 backend should approach.
 * Stateless and thread-safe.
 */
public final class JavaMlp {
  private final MlpConfig cfg;
  private final int w1, b1, w2, b2;

  public JavaMlp(MlpConfig cfg) {
    this.cfg = cfg;
    ParamLayout l = cfg.layout();
    w1 = (int) l.entry("w1").offset();
    b1 = (int) l.entry("b1").offset();
    w2 = (int) l.entry("w2").offset();
    b2 = (int) l.entry("b2").offset();
  }

  /** Mean cross-entropy (nats) and its gradient in layout order, for one batch. */
  public LossGrad lossAndGradient(float[] p, Batch batch) {
    int h = cfg.hidden(), v = MlpConfig.VOCAB, win = cfg.window();
    if (p.length != cfg.layout().size()) throw new IllegalArgumentException("wrong parameter count");
    if (batch.context() != win) throw new IllegalArgumentException("batch context must equal the window " + win);
    double[] g = new double[p.length];
    double[] pre = new double[h], act = new double[h], logits = new double[v], dh = new double[h];
    double loss = 0;
    int rows = batch.rows();
    for (int r = 0; r < rows; r++) {
      int[] rowRows = new int[win];
      for (int i = 0; i < win; i++) rowRows[i] = i * v + batch.inputs()[r * win + i];
      for (int j = 0; j < h; j++) pre[j] = p[b1 + j];
      for (int i = 0; i < win; i++) {
        int base = w1 + rowRows[i] * h;
        for (int j = 0; j < h; j++) pre[j] += p[base + j];
      }
      for (int j = 0; j < h; j++) act[j] = Math.tanh(pre[j]);
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        double s = p[b2 + k];
        for (int j = 0; j < h; j++) s += act[j] * p[w2 + j * v + k];
        logits[k] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) sum += Math.exp(logits[k] - max);
      double logZ = max + Math.log(sum);
      int target = batch.targets()[r * win + win - 1];
      loss += logZ - logits[target];
      // d loss / d logits = (softmax - onehot) / rows
      java.util.Arrays.fill(dh, 0);
      for (int k = 0; k < v; k++) {
        double d = (Math.exp(logits[k] - logZ) - (k == target ? 1 : 0)) / rows;
        g[b2 + k] += d;
        for (int j = 0; j < h; j++) {
          g[w2 + j * v + k] += act[j] * d;
          dh[j] += p[w2 + j * v + k] * d;
        }
      }
      for (int j = 0; j < h; j++) {
        double dpre = dh[j] * (1 - act[j] * act[j]);
        g[b1 + j] += dpre;
        for (int i = 0; i < win; i++) g[w1 + rowRows[i] * h + j] += dpre;
      }
    }
    return new LossGrad(loss / rows, g);
  }

  /** A loss and its gradient in layout order. */
  public record LossGrad(double loss, double[] gradient) {}
}
