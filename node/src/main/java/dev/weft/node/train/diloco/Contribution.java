package dev.weft.node.train.diloco;

/**
 * One worker's pseudo-gradient for a round: {@code delta = θ_round − θ'_worker}, and the tokens it
 * trained on. The array is owned by the contribution; nobody mutates it after construction.
 */
public record Contribution(String worker, float[] delta, long tokens) {
  public Contribution {
    if (worker.isEmpty()) throw new IllegalArgumentException("empty worker id");
    if (tokens < 0) throw new IllegalArgumentException("negative tokens");
  }
}
