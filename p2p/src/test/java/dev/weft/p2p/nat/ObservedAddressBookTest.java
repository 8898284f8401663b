package dev.weft.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedAddressBookTest {
  static final Multiaddr LOCAL = Multiaddr.parse("/ip4/192.168.1.10/tcp/4001");
  static final Multiaddr PUBLIC = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  static PeerId peer(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  static Multiaddr from(String ip) {
    return Multiaddr.parse("/ip4/" + ip + "/tcp/5555");
  }

  ObservedAddressBook book = new ObservedAddressBook(new ObservedAddressConfig(3, 60_000, 64));

  @Test void confirmedOnlyOnceEnoughDistinctGroupsReportIt() {
    book.record(peer(1), from("1.1.0.1"), LOCAL, PUBLIC, 0);
    book.record(peer(2), from("2.2.0.1"), LOCAL, PUBLIC, 0);
    assertThat(book.confirmed(0)).isEmpty();
    assertThat(book.addresses(0)).singleElement().satisfies(a -> {
      assertThat(a.observers()).isEqualTo(2);
      assertThat(a.groups()).isEqualTo(2);
      assertThat(a.localPorts()).containsExactly(4001);
    });
    book.record(peer(3), from("3.3.0.1"), LOCAL, PUBLIC, 0);
    assertThat(book.confirmed(0)).singleElement().extracting(ObservedAddress::address).isEqualTo(PUBLIC);
  }

  @Test void manyPeersFromOneSlash16CountAsOneGroup() {
    for (int i = 0; i < 20; i++) book.record(peer(i), from("9.9." + i + ".1"), LOCAL, PUBLIC, 0);
    assertThat(book.addresses(0)).singleElement().satisfies(a -> {
      assertThat(a.observers()).isEqualTo(20);
      assertThat(a.groups()).isEqualTo(1);
      assertThat(a.confirmed()).isFalse();
    });
  }

  @Test void ipv6ObserversAreGroupedBySlash32() {
    assertThat(ObserverGroup.of(Multiaddr.parse("/ip6/2001:db8:1::1/tcp/1")))
        .isEqualTo(ObserverGroup.of(Multiaddr.parse("/ip6/2001:db8:ffff::2/tcp/1")))
        .isNotEqualTo(ObserverGroup.of(Multiaddr.parse("/ip6/2001:db9::1/tcp/1")));
    assertThat(ObserverGroup.of(Multiaddr.parse("/ip6/::ffff:5.6.7.8/tcp/1"))).isEqualTo(ObserverGroup.of(from("5.6.1.1")));
  }

  @Test void oneLyingPeerCannotConfirmAnything() {
    Multiaddr lie = Multiaddr.parse("/ip4/198.51.100.66/tcp/9999");
    // The liar repeats itself, from every address it can, and claims many addresses.
    for (int i = 0; i < 100; i++) {
      book.record(peer(666), from("7.7.7." + (i % 250)), LOCAL, lie, i);
      book.record(peer(666), from("7.7.7.1"), LOCAL, Multiaddr.parse("/ip4/198.51.100." + (i % 250) + "/tcp/1"), i);
    }
    assertThat(book.confirmed(100)).isEmpty();
    assertThat(book.confirmedIps(100)).isEmpty();
    // One vote per observer and local address: the latest claim replaced all earlier ones.
    assertThat(book.size()).isEqualTo(1);
    // Honest peers still confirm the truth beside it.
    for (int i = 1; i <= 3; i++) book.record(peer(i), from(i + ".0.0.1"), LOCAL, PUBLIC, 100);
    assertThat(book.confirmed(100)).extracting(ObservedAddress::address).containsExactly(PUBLIC);
  }

  @Test void observationsExpireAfterTheTtl() {
    for (int i = 1; i <= 3; i++) book.record(peer(i), from(i + ".0.0.1"), LOCAL, PUBLIC, 0);
    assertThat(book.confirmed(59_999)).hasSize(1);
    assertThat(book.confirmed(60_000)).isEmpty();
    assertThat(book.size()).isZero();
  }

  @Test void aFloodFromOneNetworkEvictsItselfNotTheHonestVotes() {
    for (int i = 1; i <= 3; i++) book.record(peer(i), from(i + ".0.0.1"), LOCAL, PUBLIC, 0);
    for (int i = 0; i < 10_000; i++) {
      book.record(peer(1000 + i), from("6.6." + (i % 200) + ".1"), LOCAL, Multiaddr.parse("/ip4/198.51.100.1/tcp/" + (1 + i % 60000)), 1);
    }
    assertThat(book.size()).isEqualTo(64);
    assertThat(book.confirmed(1)).extracting(ObservedAddress::address).containsExactly(PUBLIC);
  }

  @Test void floodersFromManyNetworksCanStillPushTheTruthOut() {
    // The limit of the defence above, kept visible: when every flooder sits in its own network,
    // group-aware eviction degrades to oldest-first and the honest votes go. Bounded memory
    // holds; the connection limit is what bounds such a flood in practice.
    for (int i = 1; i <= 3; i++) book.record(peer(i), from(i + ".0.0.1"), LOCAL, PUBLIC, 0);
    for (int i = 0; i < 200; i++) book.record(peer(1000 + i), from((10 + i) + ".0.0.1"), LOCAL, Multiaddr.parse("/ip4/198.51.100.1/tcp/" + (1 + i)), 1);
    assertThat(book.confirmed(1)).extracting(ObservedAddress::address).doesNotContain(PUBLIC);
  }

  @Test void nonTcpAndUnspecifiedObservationsAreIgnored() {
    assertThat(book.record(peer(1), from("1.0.0.1"), LOCAL, Multiaddr.parse("/ip4/1.2.3.4/udp/4001/quic-v1"), 0))
        .isEqualTo(ObservedAddressBook.Outcome.NOT_IP_TCP);
    assertThat(book.record(peer(1), from("1.0.0.1"), LOCAL, Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"), 0))
        .isEqualTo(ObservedAddressBook.Outcome.UNSPECIFIED);
    assertThat(book.record(peer(1), from("1.0.0.1"), LOCAL, Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + peer(9)), 0))
        .isEqualTo(ObservedAddressBook.Outcome.COUNTED);
    assertThat(book.addresses(0)).extracting(ObservedAddress::address).containsExactly(Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"));
  }

  @Test void candidatesCombineListenPortsWithConfirmedAddressesAndIps() {
    Multiaddr ephemeralLocal = Multiaddr.parse("/ip4/192.168.1.10/tcp/50123");
    // Outbound connections from ephemeral ports: the ports seen differ, only the IP is confirmed.
    for (int i = 1; i <= 3; i++) book.record(peer(i), from(i + ".0.0.1"), ephemeralLocal, Multiaddr.parse("/ip4/203.0.113.7/tcp/" + (40000 + i)), 0);
    assertThat(book.confirmed(0)).isEmpty();
    assertThat(book.confirmedIps(0)).containsExactly(Multiaddr.parse("/ip4/203.0.113.7"));
    List<Multiaddr> listen = List.of(LOCAL, Multiaddr.parse("/ip6/::/tcp/4002"));
    assertThat(ExternalAddressCandidates.of(book.confirmed(0), book.confirmedIps(0), listen)).containsExactly(PUBLIC);
    // Inbound connections to the listen port, mapped to another outside port by a forwarding rule.
    Multiaddr forwarded = Multiaddr.parse("/ip4/203.0.113.7/tcp/14001");
    for (int i = 4; i <= 6; i++) book.record(peer(i), from(i + ".0.0.1"), LOCAL, forwarded, 0);
    assertThat(ExternalAddressCandidates.of(book.confirmed(0), book.confirmedIps(0), listen)).containsExactly(forwarded, PUBLIC);
  }

  @Test void configIsValidated() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObservedAddressConfig(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObservedAddressConfig(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObservedAddressConfig(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
