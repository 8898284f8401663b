package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryPeerStoreTest {
  final SimScheduler sim = new SimScheduler(1);
  final InMemoryPeerStore store = new InMemoryPeerStore(sim, 3);
  final PeerId a = peer(1);

  static PeerId peer(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  static Multiaddr tcp(int port) {
    return Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port);
  }

  @Test void addressesExpireAfterTheirTtlOnTheInjectedClock() {
    store.addAddresses(a, List.of(tcp(1)), 1_000);
    store.addAddresses(a, List.of(tcp(2)), 5_000);
    sim.runFor(999);
    assertThat(store.addresses(a)).containsExactly(tcp(1), tcp(2));
    sim.runFor(1);
    assertThat(store.addresses(a)).containsExactly(tcp(2));
    store.addAddresses(a, List.of(tcp(2)), 100); // a shorter TTL never shortens a longer one
    sim.runFor(3_000);
    assertThat(store.addresses(a)).containsExactly(tcp(2));
    sim.runFor(1_000);
    assertThat(store.addresses(a)).isEmpty();
  }

  @Test void setAddressesReplacesAndListsAreBounded() {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 1; i <= 100; i++) many.add(tcp(i));
    store.addAddresses(a, many, 60_000);
    assertThat(store.addresses(a)).hasSize(InMemoryPeerStore.MAX_ADDRESSES_PER_PEER);
    store.setAddresses(a, List.of(tcp(7)), 60_000);
    assertThat(store.addresses(a)).containsExactly(tcp(7));
    Set<String> protocols = new HashSet<>();
    for (int i = 0; i < 1000; i++) protocols.add("/p/" + i);
    store.setProtocols(a, protocols);
    assertThat(store.protocols(a)).hasSize(InMemoryPeerStore.MAX_PROTOCOLS_PER_PEER);
  }

  @Test void keysMustBelongToThePeer() {
    assertThatThrownBy(() -> store.setPublicKey(a, Ed25519.fromSeedNumber(2).publicKey())).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.publicKey(a)).isEmpty();
    store.setPublicKey(a, Ed25519.fromSeedNumber(1).publicKey());
    assertThat(store.publicKey(a)).isPresent();
  }

  @Test void theLeastRecentlyUpdatedPeerIsEvictedBeyondTheBound() {
    for (int i = 1; i <= 3; i++) {
      store.addAddresses(peer(i), List.of(tcp(i)), 60_000);
      sim.runFor(10);
    }
    store.setProtocols(peer(1), Set.of("/x")); // peer 1 touched again: peer 2 is now the oldest
    sim.runFor(10);
    store.addAddresses(peer(4), List.of(tcp(4)), 60_000);
    assertThat(store.peers()).containsExactlyInAnyOrder(peer(1), peer(3), peer(4));
  }
}
