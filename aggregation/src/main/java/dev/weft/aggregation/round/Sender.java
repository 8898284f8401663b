package dev.weft.aggregation.round;

import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.ErrorFeedback;

/**
 * One worker's sending side: encodes its pseudo-gradient in the run's codec with error feedback
 * (what the codec dropped this round is added to the next round's update), or sends it dense when
 * the run has no codec. Not thread-safe: one per worker, kept across rounds.
 */
public final class Sender {
  private final Codec codec;
  private final ErrorFeedback feedback;
  private final int dimension;
  private long lastBytes;

  public Sender(Codec codecOrNull, int dimension) {
    this.codec = codecOrNull;
    this.dimension = dimension;
    this.feedback = codecOrNull == null ? null : new ErrorFeedback(codecOrNull, dimension);
  }

  /** The contribution for this round's update (finite, length d). */
  public Contribution contribute(String key, float[] update, double weight) {
    if (update.length != dimension) throw new IllegalArgumentException("update has length " + update.length + ", expected " + dimension);
    if (feedback == null) {
      Codec.requireFinite(update);
      lastBytes = 4L * dimension;
      return new Contribution.Dense(key, update.clone(), weight);
    }
    byte[] b = feedback.encode(update);
    lastBytes = b.length;
    return new Contribution.Encoded(key, b, weight);
  }

  /** Bytes of the latest contribution on the wire. */
  public long lastBytes() {
    return lastBytes;
  }

  /** What error feedback still owes (zeros without a codec). */
  public float[] residual() {
    return feedback == null ? new float[dimension] : feedback.residual();
  }
}
