package dev.weft.node.train;

/**
 * One worker's model and inner optimizer. The node loads θ, runs H inner steps on data it chose,
 * and takes back θ' and metrics; the optimizer state stays inside the trainer between calls
 * (DiLoCo keeps each worker's AdamW moments across rounds) unless reset or replaced.
 *
 * <p>Contract: given the same layout, parameters, optimizer state, batches and thread count, a
 * trainer produces the same bits. Parameters cross this interface as one flat float32 vector in
 * {@link #layout()} order, copied exactly both ways. Not thread-safe: one thread drives a
 * trainer (a virtual thread is fine); {@link #close()} frees native memory.
 */
public interface Trainer extends AutoCloseable {
  ParamLayout layout();

  /** Replaces the parameters; keeps the optimizer state. Rejects wrong lengths and non-finite values. */
  void loadParameters(float[] parameters);

  /** A copy of the current parameters. */
  float[] parameters();

  /** Runs {@code steps} AdamW steps on batches from {@code data}; returns θ' (a copy) and metrics. */
  InnerResult train(BatchSource data, int steps);

  /** Mean cross-entropy (nats per token) over the given batches, without changing anything. */
  double evaluate(Iterable<Batch> batches);

  OptimizerState optimizerState();

  void loadOptimizerState(OptimizerState state);

  @Override void close();
}
