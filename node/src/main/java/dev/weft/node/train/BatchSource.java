package dev.weft.node.train;

/** A deterministic stream of batches: the same seed and data give the same sequence. Not thread-safe. */
@FunctionalInterface
public interface BatchSource {
  Batch next();
}
