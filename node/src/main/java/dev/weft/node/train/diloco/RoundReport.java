package dev.weft.node.train.diloco;

import java.util.List;

/**
 * What one outer round did: who took part, their mean training loss over the round's inner steps,
 * the validation loss of the new θ, tokens trained in the round, and the bytes each worker has
 * sent plus received so far (one float32 vector up and one down per round).
 */
public record RoundReport(int round, List<String> workers, double trainLoss, double validationLoss, long tokens,
    long bytesPerWorker, long innerNanos) {
  public RoundReport {
    workers = List.copyOf(workers);
  }
}
