package dev.weft.aggregation.codec;

/**
 * The sender's side of error feedback (Seide et al. 2014; Karimireddy et al., "Error Feedback Fixes
 * SignSGD", 2019): what a lossy codec dropped is kept in a residual and added to the next update,
 * so over rounds the decoded updates plus the residual always sum to the inputs: nothing is lost,
 * only delayed. Works with any {@link Codec}; essential for top-k.
 *
 * <p>Not thread-safe: one instance per sender and vector. Memory: one float per coordinate.
 */
public final class ErrorFeedback {
  private final Codec codec;
  private final float[] residual;

  public ErrorFeedback(Codec codec, int dimension) {
    this.codec = java.util.Objects.requireNonNull(codec);
    if (dimension < 0 || dimension > Codec.MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension out of range: " + dimension);
    }
    this.residual = new float[dimension];
  }

  /**
   * Encodes update + residual and keeps what the encoding dropped as the new residual. The update
   * must be finite and of the right length (checked before any state changes).
   */
  public byte[] encode(float[] update) {
    if (update.length != residual.length) {
      throw new IllegalArgumentException("length " + update.length + ", expected " + residual.length);
    }
    Codec.requireFinite(update);
    float[] corrected = new float[residual.length];
    for (int k = 0; k < corrected.length; k++) corrected[k] = residual[k] + update[k];
    byte[] encoded = codec.encode(corrected);
    float[] sent;
    try {
      sent = codec.decode(encoded, residual.length);
    } catch (MalformedUpdateException e) {
      throw new IllegalStateException("codec could not decode its own output", e);
    }
    for (int k = 0; k < residual.length; k++) residual[k] = corrected[k] - sent[k];
    return encoded;
  }

  /** A copy of what has not been sent yet. */
  public float[] residual() {
    return residual.clone();
  }

  public Codec codec() {
    return codec;
  }
}
