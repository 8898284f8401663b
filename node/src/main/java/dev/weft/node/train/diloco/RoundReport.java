package dev.weft.node.train.diloco;

import dev.weft.aggregation.InputReport;
import java.util.List;
import java.util.Optional;

/**
 * What one outer round did: who took part, their mean training loss over the round's inner steps,
 * the validation loss of the new θ, tokens trained in the round, the bytes each worker has sent
 * plus received so far (one vector up and one down per round, in the run's codec), the round
 * step's report on every contribution, and why the round failed (θ then stays as it was).
 */
public record RoundReport(int round, List<String> workers, double trainLoss, double validationLoss, long tokens,
    long bytesPerWorker, long innerNanos, List<InputReport> contributions, Optional<String> failure) {
  public RoundReport {
    workers = List.copyOf(workers);
    contributions = List.copyOf(contributions);
  }

  /** Contributions the round step rejected or the rule down-weighted, with their reasons. */
  public List<InputReport> notAccepted() {
    return contributions.stream().filter(r -> r.verdict() != dev.weft.aggregation.Verdict.ACCEPTED).toList();
  }
}
