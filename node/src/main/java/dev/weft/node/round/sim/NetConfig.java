package dev.weft.node.round.sim;

/**
 * The simulated network: one-way latency (base + uniform jitter, which also reorders), each
 * peer's upload bandwidth, and the probabilities that a message is lost or delivered twice.
 */
public record NetConfig(long latencyMillis, long jitterMillis, long bandwidthBytesPerSec, double loss, double duplicate) {
  public NetConfig {
    if (latencyMillis < 0 || jitterMillis < 0) throw new IllegalArgumentException("negative latency");
    if (bandwidthBytesPerSec < 1) throw new IllegalArgumentException("bandwidth must be positive");
    if (!(loss >= 0 && loss < 1) || !(duplicate >= 0 && duplicate < 1)) throw new IllegalArgumentException("probabilities in [0, 1)");
  }

  /** 50 ms links, 10 ms jitter, 12.5 MB/s (100 Mbit/s) uploads, no loss. */
  public static NetConfig lan50() {
    return new NetConfig(50, 10, 12_500_000, 0, 0);
  }
}
