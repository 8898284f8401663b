package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.relay.ReservationBook.Outcome;
import org.junit.jupiter.api.Test;

class ReservationBookTest {
  static PeerId peer(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  static Multiaddr from(String ip) {
    return Multiaddr.parse("/ip4/" + ip + "/tcp/4001");
  }

  final RelayConfig config = new RelayConfig(8, 2, 60_000, 3, 2, 120, 1000);
  final ReservationBook book = new ReservationBook(config);

  @Test void reservesRefreshesAndExpires() {
    assertThat(book.reserve(peer(1), from("1.0.0.1"), 0, 1_700_000_000)).isEqualTo(new Outcome.Reserved(1_700_000_060, config.limit()));
    assertThat(book.reserve(peer(1), from("1.0.0.1"), 30_000, 1_700_000_030)).isInstanceOf(Outcome.Reserved.class);
    assertThat(book.reservations(30_000)).isEqualTo(1);
    assertThat(book.hasReservation(peer(1), 89_999)).isTrue();
    assertThat(book.hasReservation(peer(1), 90_000)).isFalse();
  }

  @Test void reservationFloodFromOneNetworkIsBoundedAndOthersStillServed() {
    int accepted = 0;
    for (int i = 0; i < 1000; i++) if (book.reserve(peer(100 + i), from("6.6." + (i % 250) + ".1"), 0, 0) instanceof Outcome.Reserved) accepted++;
    assertThat(accepted).isEqualTo(2);
    for (int g = 1; g <= 6; g++) assertThat(book.reserve(peer(g), from(g + ".0.0.1"), 0, 0)).isInstanceOf(Outcome.Reserved.class);
    assertThat(book.reservations(0)).isEqualTo(8);
    assertThat(book.reserve(peer(7), from("7.0.0.1"), 0, 0)).isInstanceOfSatisfying(Outcome.Refused.class,
        r -> assertThat(r.status()).isEqualTo(RelayMessage.Status.RESERVATION_REFUSED));
  }

  @Test void withoutThePerNetworkLimitTheSameFloodTakesEverySlot() {
    ReservationBook open = new ReservationBook(new RelayConfig(8, 8, 60_000, 3, 2, 120, 1000));
    for (int i = 0; i < 1000; i++) open.reserve(peer(100 + i), from("6.6." + (i % 250) + ".1"), 0, 0);
    assertThat(open.reserve(peer(1), from("1.0.0.1"), 0, 0)).isInstanceOf(Outcome.Refused.class);
  }

  @Test void connectNeedsAReservationAndRespectsCircuitLimits() {
    book.reserve(peer(1), from("1.0.0.1"), 0, 0);
    assertThat(book.connect(peer(2), from("2.0.0.1"), peer(3), 0)).isInstanceOfSatisfying(Outcome.Refused.class,
        r -> assertThat(r.status()).isEqualTo(RelayMessage.Status.NO_RESERVATION));
    Outcome a = book.connect(peer(2), from("2.0.0.1"), peer(1), 0);
    assertThat(a).isInstanceOfSatisfying(Outcome.CircuitOpened.class, c -> assertThat(c.limit()).isEqualTo(config.limit()));
    assertThat(book.connect(peer(3), from("3.0.0.1"), peer(1), 0)).isInstanceOf(Outcome.CircuitOpened.class);
    // peer 1 is the destination of 2 circuits: its per-peer limit
    assertThat(book.connect(peer(4), from("4.0.0.1"), peer(1), 0)).isInstanceOfSatisfying(Outcome.Refused.class,
        r -> assertThat(r.status()).isEqualTo(RelayMessage.Status.RESOURCE_LIMIT_EXCEEDED));
    book.circuitClosed(((Outcome.CircuitOpened) a).circuitId());
    book.circuitClosed(((Outcome.CircuitOpened) a).circuitId());
    assertThat(book.connect(peer(4), from("4.0.0.1"), peer(1), 0)).isInstanceOf(Outcome.CircuitOpened.class);
    assertThat(book.circuits()).isEqualTo(2);
  }

  @Test void globalCircuitLimitHolds() {
    for (int i = 1; i <= 4; i++) book.reserve(peer(i), from(i + ".0.0.1"), 0, 0);
    int opened = 0;
    for (int i = 1; i <= 4; i++) if (book.connect(peer(10 + i), from((10 + i) + ".0.0.1"), peer(i), 0) instanceof Outcome.CircuitOpened) opened++;
    assertThat(opened).isEqualTo(3);
  }

  @Test void relayedRequestsAndDisconnectedPeersAreRefused() {
    Multiaddr relayed = from("1.0.0.1").encapsulate("/p2p/" + peer(50) + "/p2p-circuit");
    assertThat(book.reserve(peer(1), relayed, 0, 0)).isInstanceOf(Outcome.Refused.class);
    book.reserve(peer(1), from("1.0.0.1"), 0, 0);
    assertThat(book.connect(peer(2), relayed, peer(1), 0)).isInstanceOf(Outcome.Refused.class);
    book.disconnected(peer(1));
    assertThat(book.connect(peer(2), from("2.0.0.1"), peer(1), 0)).isInstanceOfSatisfying(Outcome.Refused.class,
        r -> assertThat(r.status()).isEqualTo(RelayMessage.Status.NO_RESERVATION));
    // the slot of its network is free again
    book.reserve(peer(3), from("1.0.0.2"), 0, 0);
    assertThat(book.reserve(peer(4), from("1.0.0.3"), 0, 0)).isInstanceOf(Outcome.Reserved.class);
  }

  @Test void relayedByteAndDurationLimitsCutTheCircuit() {
    CircuitBudget b = new CircuitBudget(new RelayMessage.Limit(2, 1000), 0);
    assertThat(b.admit(CircuitBudget.Direction.SRC_TO_DST, 600, 0)).isEqualTo(600);
    assertThat(b.admit(CircuitBudget.Direction.SRC_TO_DST, 600, 1)).isEqualTo(400);
    assertThat(b.admit(CircuitBudget.Direction.SRC_TO_DST, 1, 1)).isZero();
    assertThat(b.admit(CircuitBudget.Direction.DST_TO_SRC, 1000, 1)).as("each direction has its own budget").isEqualTo(1000);
    assertThat(b.expired(1999)).isFalse();
    assertThat(b.admit(CircuitBudget.Direction.DST_TO_SRC, 1, 2000)).isZero();
    assertThat(b.deadlineMillis()).isEqualTo(2000);
    CircuitBudget unlimited = new CircuitBudget(new RelayMessage.Limit(0, 0), 0);
    assertThat(unlimited.admit(CircuitBudget.Direction.SRC_TO_DST, Long.MAX_VALUE / 2, 1_000_000_000L)).isEqualTo(Long.MAX_VALUE / 2);
  }

  @Test void oneAddressHoldsAtMostItsPerIpShareWhileItsNetworkHasRoom() {
    ReservationBook perIp = new ReservationBook(new RelayConfig(8, 4, 1, 60_000, 3, 2, 120, 1000, 10_000));
    assertThat(perIp.reserve(peer(1), from("5.5.5.5"), 0, 0)).isInstanceOf(Outcome.Reserved.class);
    assertThat(perIp.reserve(peer(2), from("5.5.5.5"), 0, 0)).isInstanceOfSatisfying(Outcome.Refused.class,
        r -> assertThat(r.reason()).contains("/ip4/5.5.5.5"));
    assertThat(perIp.reserve(peer(2), from("5.5.5.6"), 0, 0)).as("same /16, another address").isInstanceOf(Outcome.Reserved.class);
    // refreshing one's own slot is not a second reservation
    assertThat(perIp.reserve(peer(1), from("5.5.5.5"), 1, 0)).isInstanceOf(Outcome.Reserved.class);
    // without the per-IP limit the same address takes the whole network's share
    ReservationBook open = new ReservationBook(new RelayConfig(8, 4, 4, 60_000, 3, 2, 120, 1000, 10_000));
    for (int i = 0; i < 4; i++) assertThat(open.reserve(peer(10 + i), from("5.5.5.5"), 0, 0)).isInstanceOf(Outcome.Reserved.class);
  }

  @Test void configRefusesAPerIpLimitAboveTheGroupLimit() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RelayConfig(8, 2, 3, 60_000, 3, 2, 120, 1000, 10_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReservationsPerIp");
  }
}
