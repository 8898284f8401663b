package dev.weft.p2p.transport.memory;

/**
 * How a simulated link between two peers behaves, per direction. The link is reliable and
 * ordered like TCP: a "lost" message is not dropped but delayed by {@code retransmitMillis} (once
 * per loss, drawn again each time), so loss shows up as latency spikes and head-of-line blocking.
 *
 * @param latencyMillis one-way delay of every message
 * @param jitterMillis extra one-way delay drawn uniformly from {@code [0, jitterMillis]} per message
 *     (order is still kept)
 * @param lossRate probability in {@code [0, 1)} that one transmission of a message is lost
 * @param retransmitMillis delay added per lost transmission (a retransmission timeout)
 * @param bytesPerSecond bandwidth of one direction of one connection; 0 means unlimited
 */
public record LinkConfig(long latencyMillis, long jitterMillis, double lossRate, long retransmitMillis, long bytesPerSecond) {
  /** No delay, no loss, unlimited bandwidth. */
  public static final LinkConfig PERFECT = new LinkConfig(0, 0, 0, 0, 0);
  /** Cap on retransmissions of one message, so a loss rate near 1 cannot stall a simulation forever. */
  public static final int MAX_RETRANSMISSIONS = 16;

  public LinkConfig {
    if (latencyMillis < 0) throw new IllegalArgumentException("latencyMillis < 0: " + latencyMillis);
    if (jitterMillis < 0) throw new IllegalArgumentException("jitterMillis < 0: " + jitterMillis);
    if (!(lossRate >= 0 && lossRate < 1)) throw new IllegalArgumentException("lossRate must be in [0, 1): " + lossRate);
    if (retransmitMillis < 0) throw new IllegalArgumentException("retransmitMillis < 0: " + retransmitMillis);
    if (bytesPerSecond < 0) throw new IllegalArgumentException("bytesPerSecond < 0: " + bytesPerSecond);
  }

  /** A link with only a fixed one-way latency. */
  public static LinkConfig latency(long millis) {
    return new LinkConfig(millis, 0, 0, 0, 0);
  }
}
