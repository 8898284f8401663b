package dev.weft.aggregation.round;

/**
 * What a round step accepts from one contributor, beyond matching the run's dimension and codec.
 *
 * @param maxEncodedBytes largest encoded contribution accepted; {@link #forCodec} sets it to what
 *     the run's codec produces for d, so anything larger is not an honest encoding
 * @param maxNorm largest L2 norm of a decoded contribution (infinite: no norm limit). A norm bound
 *     set from the honest scale stops a single scaled input before any rule sees it
 */
public record RoundLimits(long maxEncodedBytes, double maxNorm) {
  public RoundLimits {
    if (maxEncodedBytes < 1) throw new IllegalArgumentException("maxEncodedBytes must be positive: " + maxEncodedBytes);
    if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be positive (or infinite): " + maxNorm);
  }

  /** No norm limit; bytes limited to the dense float32 size plus the codec header. */
  public static RoundLimits dense(int dimension) {
    return new RoundLimits(dev.weft.aggregation.codec.Codec.HEADER_BYTES + 4L * dimension, Double.POSITIVE_INFINITY);
  }

  public RoundLimits withMaxNorm(double norm) {
    return new RoundLimits(maxEncodedBytes, norm);
  }
}
