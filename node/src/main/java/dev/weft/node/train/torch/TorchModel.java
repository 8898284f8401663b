package dev.weft.node.train.torch;

import dev.weft.node.train.GptConfig;
import dev.weft.node.train.MlpConfig;
import dev.weft.node.train.ModelSpec;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A forward pass written with LibTorch functional ops over views of one flat parameter tensor, so
 * that autograd accumulates every gradient into that tensor's {@code grad} and the optimizer, the
 * flat copy in and out, and clipping are single vector operations.
 */
interface TorchModel {
  /**
   * Mean next-byte cross-entropy over the batch.
   *
   * @param params views of the flat parameter tensor, by layout name
   * @param inputs int64 {@code [rows, context]}
   * @param targets int64 {@code [rows, context]}
   */
  Tensor loss(Map<String, Tensor> params, Tensor inputs, Tensor targets);

  static TorchModel of(ModelSpec spec) {
    return switch (spec) {
      case GptConfig g -> new TorchGpt(g);
      case MlpConfig m -> new TorchMlp(m);
    };
  }
}
