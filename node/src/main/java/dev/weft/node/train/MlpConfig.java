package dev.weft.node.train;

/**
 * A byte-level MLP language model (Bengio et al. 2003 without the embedding): the previous
 * {@code window} bytes, one-hot encoded ({@code 256·window} inputs), go through {@code hidden}
 * tanh units to 256 logits for the next byte. Small and smooth: the quick model for tests and the
 * one the pure-Java oracle mirrors.
 */
public record MlpConfig(String name, int window, int hidden) implements ModelSpec {
  public static final int VOCAB = 256;

  public MlpConfig {
    if (window < 1 || window > 64) throw new IllegalArgumentException("window must be 1..64");
    if (hidden < 1 || hidden > 65536) throw new IllegalArgumentException("hidden must be 1..65536");
  }

  public static MlpConfig small() {
    return new MlpConfig("mlp", 3, 128);
  }

  public int inputs() {
    return VOCAB * window;
  }

  /** An MLP batch is one window per row: context is the window. */
  @Override public int context() {
    return window;
  }

  @Override public ParamLayout layout() {
    return ParamLayout.builder()
        .add("w1", true, inputs(), hidden).add("b1", false, hidden)
        .add("w2", true, hidden, VOCAB).add("b2", false, VOCAB)
        .build();
  }

  /** Weights uniform in ±1/√fan_in (LeCun-style), biases zero. */
  @Override public float[] initialParameters(long seed) {
    ParamLayout layout = layout();
    float[] p = new float[layout.size()];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    fill(p, layout.entry("w1"), 1 / Math.sqrt(window), r); // one-hot: only `window` inputs are non-zero
    fill(p, layout.entry("w2"), 1 / Math.sqrt(hidden), r);
    return p;
  }

  private static void fill(float[] p, ParamLayout.Entry e, double bound, java.util.SplittableRandom r) {
    for (int i = (int) e.offset(); i < e.end(); i++) p[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
  }
}
