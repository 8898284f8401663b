package dev.weft.node.train;

/**
 * A model architecture: its parameter layout, its seeded initial parameters (computed in Java, so
 * every backend and every peer starts from the same bits) and the context length its batches use.
 */
public sealed interface ModelSpec permits GptConfig, MlpConfig {
  ParamLayout layout();

  float[] initialParameters(long seed);

  /** Sequence length of the batches this model trains on. */
  int context();

  /** Short name for logs and checkpoint metadata, e.g. {@code gpt-tiny}. */
  String name();
}
