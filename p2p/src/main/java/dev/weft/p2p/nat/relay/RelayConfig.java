package dev.weft.p2p.nat.relay;

/**
 * Limits of a relay (hop server). Validated on construction. Defaults follow go-libp2p's relay
 * resources where they exist (128 reservations, 1 h TTL, 16 circuits, 2 min / 128 KiB per
 * circuit): a relay is a fallback for signalling and hole punching, not a data path.
 *
 * @param maxReservations reservations held at once
 * @param maxReservationsPerGroup per observer group (IPv4 /16, IPv6 /32), so one network cannot take every slot
 * @param maxReservationsPerIp per IP address (at most the group's): one machine's many identities count here
 * @param reservationTtlMillis how long a reservation lasts before the client must refresh it
 * @param maxCircuits relayed connections at once
 * @param maxCircuitsPerPeer relayed connections one peer may have open, as source or destination
 * @param circuitDurationSeconds longest relayed connection
 * @param circuitDataBytes most bytes per direction of one relayed connection; it also bounds what
 *     the relay buffers for one circuit whose far end reads slowly
 * @param messageTimeoutMillis how long a peer may take to send a hop or stop message (a slow
 *     drip holds a stream, not a slot, and not for longer than this)
 */
public record RelayConfig(int maxReservations, int maxReservationsPerGroup, int maxReservationsPerIp, long reservationTtlMillis,
    int maxCircuits, int maxCircuitsPerPeer, long circuitDurationSeconds, long circuitDataBytes, long messageTimeoutMillis) {
  /** go-libp2p's per-IP default is 8 of 128; ours is smaller because home networks rarely run more than two nodes. */
  public static final RelayConfig DEFAULT = new RelayConfig(128, 4, 2, 60 * 60_000L, 16, 4, 120, 128 * 1024, 10_000);

  public RelayConfig {
    positive("maxReservations", maxReservations);
    positive("maxReservationsPerGroup", maxReservationsPerGroup);
    positive("maxReservationsPerIp", maxReservationsPerIp);
    positive("reservationTtlMillis", reservationTtlMillis);
    positive("maxCircuits", maxCircuits);
    positive("maxCircuitsPerPeer", maxCircuitsPerPeer);
    positive("circuitDurationSeconds", circuitDurationSeconds);
    positive("circuitDataBytes", circuitDataBytes);
    positive("messageTimeoutMillis", messageTimeoutMillis);
    if (maxReservationsPerIp > maxReservationsPerGroup) {
      throw new IllegalArgumentException("maxReservationsPerIp (" + maxReservationsPerIp + ") exceeds maxReservationsPerGroup ("
          + maxReservationsPerGroup + ")");
    }
    if (reservationTtlMillis < 1000) throw new IllegalArgumentException("reservationTtlMillis below a second: the wire carries seconds");
  }

  /** As the canonical constructor, with the per-IP limit equal to the group's and a 10 s message timeout. */
  public RelayConfig(int maxReservations, int maxReservationsPerGroup, long reservationTtlMillis, int maxCircuits,
      int maxCircuitsPerPeer, long circuitDurationSeconds, long circuitDataBytes) {
    this(maxReservations, maxReservationsPerGroup, maxReservationsPerGroup, reservationTtlMillis, maxCircuits, maxCircuitsPerPeer,
        circuitDurationSeconds, circuitDataBytes, 10_000);
  }

  public RelayMessage.Limit limit() {
    return new RelayMessage.Limit(circuitDurationSeconds, circuitDataBytes);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
