package dev.weft.node.train.torch;

import dev.weft.node.train.MlpConfig;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The byte MLP of {@link MlpConfig}: each batch row's {@code window} input bytes pick rows of
 * {@code w1} (equivalent to one-hot inputs times {@code w1}, without building the one-hot
 * matrix), tanh, then logits for the byte after the window (the row's last target).
 */
final class TorchMlp implements TorchModel {
  private final MlpConfig cfg;

  TorchMlp(MlpConfig cfg) {
    this.cfg = cfg;
  }

  @Override public Tensor loss(Map<String, Tensor> p, Tensor inputs, Tensor targets) {
    if (inputs.size(1) != cfg.window()) throw new IllegalArgumentException("MLP batches need context = window = " + cfg.window());
    long rows = inputs.size(0);
    // Row i*256+b of w1 belongs to byte b at window position i.
    Tensor offsets = torch.arange(new Scalar(0L), new Scalar((long) cfg.inputs()), new Scalar((long) MlpConfig.VOCAB),
        new TensorOptions(torch.ScalarType.Long));
    Tensor rowsIdx = inputs.add(offsets.to(inputs.device(), torch.ScalarType.Long));
    Tensor w1 = p.get("w1");
    Tensor pre = torch.embedding(w1, rowsIdx).sum(new long[] {1}, false, new ScalarTypeOptional()).add(p.get("b1"));
    Tensor h = pre.tanh();
    Tensor logits = TorchGpt.linear(h, p.get("w2"), p.get("b2"));
    Tensor last = targets.select(1, cfg.window() - 1);
    return torch.cross_entropy_loss(logits.reshape(rows, MlpConfig.VOCAB), last);
  }
}
