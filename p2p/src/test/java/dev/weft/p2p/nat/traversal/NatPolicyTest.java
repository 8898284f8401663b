package dev.weft.p2p.nat.traversal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.traversal.NatPolicy.Action;
import dev.weft.p2p.nat.relay.RelayProtocol;
import dev.weft.p2p.protocol.autonat.AutonatProtocol;
import dev.weft.p2p.protocol.autonat.Reachability.Status;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NatPolicyTest {
  static final Set<String> HOP_AND_AUTONAT = Set.of(RelayProtocol.HOP, AutonatProtocol.V2_DIAL_REQUEST);
  static final Set<String> AUTONAT = Set.of(AutonatProtocol.V2_DIAL_REQUEST);
  static final Multiaddr PUBLIC_ME = Multiaddr.parse("/ip4/8.8.4.4/tcp/4001");
  static final NatConfig CONFIG = NatConfig.DEFAULT.withTiming(1_000, 60_000, 5_000, 100);

  static PeerId peer(int n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  static Multiaddr at(int n) {
    return Multiaddr.parse("/ip4/1.2.3." + n + "/tcp/4001");
  }

  @Test void withNoPublicAddressItIsPrivateAfterTheGraceAndReservesOnTwoHops() {
    NatPolicy p = new NatPolicy(CONFIG, 0);
    for (int i = 1; i <= 3; i++) p.identified(peer(i), HOP_AND_AUTONAT, at(i));
    assertThat(p.tick(4_999)).as("within the grace: nothing yet").isEmpty();
    assertThat(p.status().reachability()).isEqualTo(Status.UNKNOWN);
    List<Action> a = p.tick(5_000);
    assertThat(a).first().isInstanceOf(Action.Changed.class);
    assertThat(a).filteredOn(x -> x instanceof Action.Reserve)
        .containsExactly(new Action.Reserve(at(1).withPeerId(peer(1))), new Action.Reserve(at(2).withPeerId(peer(2))));
    assertThat(a).as("no address: nothing to probe").noneMatch(x -> x instanceof Action.Probe);
    assertThat(p.status().reachability()).isEqualTo(Status.PRIVATE);
    assertThat(p.tick(5_100)).as("reservations are asked for once").isEmpty();
  }

  @Test void aKeptRelayThatDisconnectsIsDroppedAndReplaced() {
    NatPolicy p = new NatPolicy(CONFIG, 0);
    for (int i = 1; i <= 3; i++) p.identified(peer(i), HOP_AND_AUTONAT, at(i));
    p.tick(5_000);
    p.gone(peer(1));
    assertThat(p.tick(5_100)).containsExactly(new Action.Drop(peer(1)), new Action.Reserve(at(3).withPeerId(peer(3))));
    assertThat(p.status().keptRelays()).containsExactly(at(2).withPeerId(peer(2)), at(3).withPeerId(peer(3)));
  }

  @Test void aPublicAddressIsProbedAndAPublicVerdictDropsTheRelaysFoundAtRunTime() {
    NatPolicy p = new NatPolicy(CONFIG, 0);
    for (int i = 1; i <= 2; i++) p.identified(peer(i), HOP_AND_AUTONAT, at(i));
    p.tick(5_000); // private for want of an address: reserves on both
    p.candidates(List.of(PUBLIC_ME));
    List<Action> a = p.tick(5_100);
    assertThat(a).filteredOn(x -> x instanceof Action.Probe).containsExactly(new Action.Probe(List.of(peer(1), peer(2)), List.of(PUBLIC_ME)));
    assertThat(a).as("unknown while testing: the relays held are kept").noneMatch(x -> x instanceof Action.Drop);
    assertThat(p.tick(5_200)).as("one probe at a time").noneMatch(x -> x instanceof Action.Probe);
    p.probeDone(Status.PUBLIC, 5_300);
    assertThat(p.tick(5_400)).contains(new Action.Drop(peer(1)), new Action.Drop(peer(2)));
    assertThat(p.status().reachability()).isEqualTo(Status.PUBLIC);
    assertThat(p.tick(5_500 + 60_000)).as("probed again at the known interval").anyMatch(x -> x instanceof Action.Probe);
  }

  @Test void aPrivateVerdictFromAutonatReservesAndAnUnknownOneIsRetriedSoon() {
    NatPolicy p = new NatPolicy(CONFIG, 0);
    p.identified(peer(1), HOP_AND_AUTONAT, at(1));
    p.candidates(List.of(PUBLIC_ME));
    assertThat(p.tick(0)).anyMatch(x -> x instanceof Action.Probe);
    p.probeDone(Status.UNKNOWN, 10);
    assertThat(p.tick(500)).as("not before the unknown interval").noneMatch(x -> x instanceof Action.Probe);
    assertThat(p.tick(1_010)).anyMatch(x -> x instanceof Action.Probe);
    p.probeDone(Status.PRIVATE, 1_100);
    assertThat(p.tick(1_200)).contains(new Action.Reserve(at(1).withPeerId(peer(1))));
  }

  @Test void onlyDirectConnectionsAndPublicHopsCount() {
    NatPolicy p = new NatPolicy(CONFIG, 0);
    p.identified(peer(1), HOP_AND_AUTONAT, null); // relayed only
    p.identified(peer(2), HOP_AND_AUTONAT, Multiaddr.parse("/ip4/192.168.1.5/tcp/4001")); // a private hop: useless to others
    p.identified(peer(3), AUTONAT, at(3)); // no hop
    assertThat(p.tick(5_000)).noneMatch(x -> x instanceof Action.Reserve);
    assertThat(p.status().servers()).as("the private peer still answers AutoNAT").containsExactly(peer(2), peer(3));
    NatPolicy lan = new NatPolicy(CONFIG.withLan(true), 0);
    lan.identified(peer(2), HOP_AND_AUTONAT, Multiaddr.parse("/ip4/192.168.1.5/tcp/4001"));
    assertThat(lan.tick(5_000)).as("on a LAN a private hop will do").anyMatch(x -> x instanceof Action.Reserve);
  }

  @Test void configuredRelaysCountTowardsTheWantAndAreNeverDropped() {
    Multiaddr r = at(9).withPeerId(peer(9));
    NatPolicy p = new NatPolicy(CONFIG.withRelays(List.of(r)), 0);
    p.identified(peer(9), HOP_AND_AUTONAT, at(9));
    p.identified(peer(1), HOP_AND_AUTONAT, at(1));
    p.identified(peer(2), HOP_AND_AUTONAT, at(2));
    assertThat(p.tick(5_000)).filteredOn(x -> x instanceof Action.Reserve).containsExactly(new Action.Reserve(at(1).withPeerId(peer(1))));
    p.candidates(List.of(PUBLIC_ME));
    p.tick(5_100);
    p.probeDone(Status.PUBLIC, 5_200);
    assertThat(p.tick(5_300)).contains(new Action.Drop(peer(1))).doesNotContain(new Action.Drop(peer(9)));
  }

  @Test void eachPieceTurnedOffDoesNothing() {
    NatPolicy noRelay = new NatPolicy(CONFIG.withPieces(true, true, false, true, true, false), 0);
    noRelay.identified(peer(1), HOP_AND_AUTONAT, at(1));
    assertThat(noRelay.tick(5_000)).noneMatch(x -> x instanceof Action.Reserve);
    NatPolicy noAutonat = new NatPolicy(CONFIG.withPieces(false, true, true, true, true, false), 0);
    noAutonat.identified(peer(1), HOP_AND_AUTONAT, at(1));
    noAutonat.candidates(List.of(PUBLIC_ME));
    assertThat(noAutonat.tick(5_000)).noneMatch(x -> x instanceof Action.Probe);
    assertThat(noAutonat.status().why()).isEqualTo("AutoNAT is off");
  }

  @Test void theConfigIsValidatedWithNames() {
    assertThatThrownBy(() -> CONFIG.withConfirmations(9)).hasMessageContaining("confirmations");
    assertThatThrownBy(() -> CONFIG.withRelays(List.of(at(1)))).hasMessageContaining("/p2p/");
    assertThatThrownBy(() -> CONFIG.withTiming(10, 60_000, 0, 100)).hasMessageContaining("probeUnknownMillis");
  }
}
