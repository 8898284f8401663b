package dev.weft.node.train;

/**
 * One mini-batch of next-byte prediction: {@code rows} sequences of {@code context} input bytes
 * ({@code 0..255}) and, for each position, the byte that follows. Arrays are row-major
 * {@code [rows][context]} and owned by the batch once constructed (callers must not mutate them).
 */
public record Batch(int rows, int context, int[] inputs, int[] targets) {
  public Batch {
    if (rows <= 0 || context <= 0) throw new IllegalArgumentException("rows and context must be positive");
    long n = (long) rows * context;
    if (inputs.length != n || targets.length != n) {
      throw new IllegalArgumentException("expected " + n + " inputs and targets, got " + inputs.length + "/" + targets.length);
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] < 0 || inputs[i] > 255 || targets[i] < 0 || targets[i] > 255) {
        throw new IllegalArgumentException("token out of byte range at " + i);
      }
    }
  }

  /** Number of predicted tokens. */
  public int tokens() {
    return rows * context;
  }
}
