package dev.weft.node.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What the dashboard shows about training, written by whoever trains (the node's round loop, or
 * {@code train local}) and read by the HTTP threads. Thread-safe; the loss history is bounded
 * ({@link #MAX_POINTS}, oldest dropped) so a long run cannot grow it without limit.
 */
public final class TrainingStatus {
  /** Points of loss history kept for the plot. */
  public static final int MAX_POINTS = 2_000;

  /** One point of the loss curve. */
  public record LossPoint(long round, double validationLoss) {}

  /** What happened to this node's latest contribution, in words a volunteer understands. */
  public record ContributionStatus(long round, String fate, String reason) {}

  private final List<LossPoint> loss = new ArrayList<>();
  private long round = -1;
  private String phase = "idle";
  private ContributionStatus lastContribution;

  public synchronized void round(long round, String phase) {
    this.round = round;
    this.phase = phase;
  }

  public synchronized void loss(long round, double validationLoss) {
    if (!Double.isFinite(validationLoss)) return;
    loss.add(new LossPoint(round, validationLoss));
    if (loss.size() > MAX_POINTS) loss.remove(0);
  }

  public synchronized void contribution(ContributionStatus status) {
    this.lastContribution = status;
  }

  /** A consistent copy. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(round, phase, List.copyOf(loss), lastContribution);
  }

  public record Snapshot(long round, String phase, List<LossPoint> loss, ContributionStatus lastContribution) {
    public Double lastLoss() {
      return loss.isEmpty() ? null : loss.get(loss.size() - 1).validationLoss();
    }
  }
}
