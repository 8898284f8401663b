package dev.weft.node.train.torch;

import dev.weft.node.train.GptConfig;
import java.util.Map;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The byte-level GPT of {@link GptConfig} as LibTorch ops: pre-norm blocks, causal attention via
 * {@code scaled_dot_product_attention(is_causal=true)}, tanh-approximated GELU (as GPT-2), logits
 * through the transposed token embedding (tied output).
 */
final class TorchGpt implements TorchModel {
  /** GPT-2's layer-norm epsilon. */
  private static final double LN_EPS = 1e-5;

  private final GptConfig cfg;

  TorchGpt(GptConfig cfg) {
    this.cfg = cfg;
  }

  @Override public Tensor loss(Map<String, Tensor> p, Tensor inputs, Tensor targets) {
    return crossEntropy(logits(p, inputs), targets);
  }

  /** Logits {@code [rows, context, 256]}. */
  Tensor logits(Map<String, Tensor> p, Tensor inputs) {
    long rows = inputs.size(0), t = inputs.size(1);
    if (t > cfg.context()) throw new IllegalArgumentException("sequence " + t + " longer than context " + cfg.context());
    int c = cfg.width(), nh = cfg.heads(), hd = cfg.headDim();
    Tensor x = torch.embedding(p.get("wte"), inputs).add(p.get("wpe").narrow(0, 0, t));
    for (int l = 0; l < cfg.layers(); l++) {
      String pre = "h" + l + "_";
      Tensor h = layerNorm(x, p.get(pre + "ln1_w"), p.get(pre + "ln1_b"), c);
      Tensor qkv = linear(h, p.get(pre + "attn_qkv_w"), p.get(pre + "attn_qkv_b"));
      Tensor q = heads(qkv.narrow(2, 0, c), rows, t, nh, hd);
      Tensor k = heads(qkv.narrow(2, c, c), rows, t, nh, hd);
      Tensor v = heads(qkv.narrow(2, 2L * c, c), rows, t, nh, hd);
      Tensor y = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, true, new DoubleOptional(), false);
      y = y.transpose(1, 2).contiguous().view(rows, t, c);
      x = x.add(linear(y, p.get(pre + "attn_proj_w"), p.get(pre + "attn_proj_b")));
      h = layerNorm(x, p.get(pre + "ln2_w"), p.get(pre + "ln2_b"), c);
      h = torch.gelu(linear(h, p.get(pre + "mlp_fc_w"), p.get(pre + "mlp_fc_b")), "tanh");
      x = x.add(linear(h, p.get(pre + "mlp_proj_w"), p.get(pre + "mlp_proj_b")));
    }
    x = layerNorm(x, p.get("lnf_w"), p.get("lnf_b"), c);
    return torch.matmul(x, p.get("wte").t());
  }

  static Tensor crossEntropy(Tensor logits, Tensor targets) {
    long v = logits.size(logits.dim() - 1);
    return torch.cross_entropy_loss(logits.reshape(-1, v), targets.reshape(-1));
  }

  private static Tensor heads(Tensor x, long rows, long t, int nh, int hd) {
    return x.reshape(rows, t, nh, hd).transpose(1, 2);
  }

  static Tensor linear(Tensor x, Tensor w, Tensor b) {
    return torch.matmul(x, w).add(b);
  }

  private static Tensor layerNorm(Tensor x, Tensor w, Tensor b, int c) {
    return torch.layer_norm(x, new long[] {c}, new TensorOptional(w), new TensorOptional(b), LN_EPS, false);
  }
}
