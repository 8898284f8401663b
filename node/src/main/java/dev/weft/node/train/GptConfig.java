package dev.weft.node.train;

/**
 * A byte-level GPT (Radford et al. 2019 layout): token and position embeddings, {@code layers}
 * pre-norm blocks of causal multi-head self-attention and a 4× GELU MLP, a final layer norm and an
 * output layer tied to the token embedding. Vocabulary is the 256 byte values.
 *
 * <p>Weights are stored as {@code [in, out]} so a layer is {@code x @ W + b}.
 */
public record GptConfig(String name, int layers, int width, int heads, int context) implements ModelSpec {
  public static final int VOCAB = 256;
  /** GPT-2's initial standard deviation for weights. */
  static final double INIT_STD = 0.02;

  public GptConfig {
    if (layers < 1 || layers > 48) throw new IllegalArgumentException("layers must be 1..48");
    if (width < 8 || width > 4096) throw new IllegalArgumentException("width must be 8..4096");
    if (heads < 1 || width % heads != 0) throw new IllegalArgumentException("heads must divide width");
    if (context < 1 || context > 4096) throw new IllegalArgumentException("context must be 1..4096");
  }

  /**
   * The README default: 4 layers, width 128, 4 heads, context 64 (about 0.83M parameters). Context
   * 64 rather than 128 halves the step time so {@code weft train local} finishes in minutes on 2
   * shared cores; {@code gpt:NAME:4:128:4:128} gives the longer context.
   */
  public static GptConfig tiny() {
    return new GptConfig("gpt-tiny", 4, 128, 4, 64);
  }

  /** The model the evidence table uses: small enough that four runs fit in minutes on 2 cores. */
  public static GptConfig micro() {
    return new GptConfig("gpt-micro", 2, 64, 4, 64);
  }

  /** GPT-2 small's shapes at byte vocabulary (12 layers, width 768, 12 heads, context 1024). */
  public static GptConfig gpt2Small() {
    return new GptConfig("gpt2-small", 12, 768, 12, 1024);
  }

  public int headDim() {
    return width / heads;
  }

  @Override public ParamLayout layout() {
    ParamLayout.Builder b = ParamLayout.builder();
    int c = width;
    b.add("wte", true, VOCAB, c);
    b.add("wpe", true, context, c);
    for (int l = 0; l < layers; l++) {
      String p = "h" + l + "_";
      b.add(p + "ln1_w", false, c).add(p + "ln1_b", false, c);
      b.add(p + "attn_qkv_w", true, c, 3L * c).add(p + "attn_qkv_b", false, 3L * c);
      b.add(p + "attn_proj_w", true, c, c).add(p + "attn_proj_b", false, c);
      b.add(p + "ln2_w", false, c).add(p + "ln2_b", false, c);
      b.add(p + "mlp_fc_w", true, c, 4L * c).add(p + "mlp_fc_b", false, 4L * c);
      b.add(p + "mlp_proj_w", true, 4L * c, c).add(p + "mlp_proj_b", false, c);
    }
    b.add("lnf_w", false, c).add("lnf_b", false, c);
    return b.build();
  }

  /**
   * GPT-2 initialisation: weights N(0, 0.02), residual projections N(0, 0.02/√(2·layers)), biases
   * zero, layer-norm gains one.
   */
  @Override public float[] initialParameters(long seed) {
    ParamLayout layout = layout();
    float[] p = new float[layout.size()];
    Gaussian g = new Gaussian(seed);
    double residualStd = INIT_STD / Math.sqrt(2.0 * layers);
    for (ParamLayout.Entry e : layout.entries()) {
      int from = (int) e.offset(), to = (int) e.end();
      String n = e.name();
      if (n.endsWith("ln1_w") || n.endsWith("ln2_w") || n.equals("lnf_w")) {
        java.util.Arrays.fill(p, from, to, 1f);
      } else if (n.endsWith("_b")) {
        // zeros
      } else {
        double std = n.endsWith("proj_w") ? residualStd : INIT_STD;
        for (int i = from; i < to; i++) p[i] = (float) (g.next() * std);
      }
    }
    return p;
  }
}
