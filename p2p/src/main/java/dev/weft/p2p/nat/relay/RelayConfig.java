package dev.weft.p2p.nat.relay;

/**
 * Limits of a relay (hop server). Validated on construction. Defaults follow go-libp2p's relay
 * resources where they exist (128 reservations, 1 h TTL, 16 circuits, 2 min / 128 KiB per
 * circuit): a relay is a fallback for signalling and hole punching, not a data path.
 *
 * @param maxReservations reservations held at once
 * @param maxReservationsPerGroup per observer group (IPv4 /16, IPv6 /32), so one network cannot take every slot
 * @param reservationTtlMillis how long a reservation lasts before the client must refresh it
 * @param maxCircuits relayed connections at once
 * @param maxCircuitsPerPeer relayed connections one peer may have open, as source or destination
 * @param circuitDurationSeconds longest relayed connection
 * @param circuitDataBytes most bytes per direction of one relayed connection
 */
public record RelayConfig(int maxReservations, int maxReservationsPerGroup, long reservationTtlMillis, int maxCircuits,
    int maxCircuitsPerPeer, long circuitDurationSeconds, long circuitDataBytes) {
  public static final RelayConfig DEFAULT = new RelayConfig(128, 4, 60 * 60_000L, 16, 4, 120, 128 * 1024);

  public RelayConfig {
    positive("maxReservations", maxReservations);
    positive("maxReservationsPerGroup", maxReservationsPerGroup);
    positive("reservationTtlMillis", reservationTtlMillis);
    positive("maxCircuits", maxCircuits);
    positive("maxCircuitsPerPeer", maxCircuitsPerPeer);
    positive("circuitDurationSeconds", circuitDurationSeconds);
    positive("circuitDataBytes", circuitDataBytes);
  }

  public RelayMessage.Limit limit() {
    return new RelayMessage.Limit(circuitDurationSeconds, circuitDataBytes);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
