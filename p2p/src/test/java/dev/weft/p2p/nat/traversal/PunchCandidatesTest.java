package dev.weft.p2p.nat.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.ObservedAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a hole punch offers besides confirmed addresses: observed addresses seen on dials from the
 * listen port, even from one observer group (a home volunteer's usual case), never private,
 * circuit or ephemeral-port observations, most observers first, at most four.
 */
class PunchCandidatesTest {
  /** NatTraversal's own test with its LAN mode off. */
  static List<Multiaddr> punch(List<ObservedAddress> observed, int listenPort) {
    return NatTraversal.punchCandidates(observed, listenPort, NatTraversal::publicTcp);
  }

  static ObservedAddress seen(String addr, int observers, int... localPorts) {
    Set<Integer> ports = new java.util.HashSet<>();
    for (int p : localPorts) ports.add(p);
    return new ObservedAddress(Multiaddr.parse(addr), observers, 1, false, ports);
  }

  @Test
  void anObservationFromOneGroupOnAListenPortDialIsOffered() {
    List<Multiaddr> out = punch(List.of(seen("/ip4/11.22.33.20/tcp/4001", 1, 4001)), 4001);
    assertThat(out).containsExactly(Multiaddr.parse("/ip4/11.22.33.20/tcp/4001"));
  }

  @Test
  void ephemeralPortPrivateAndCircuitObservationsAreNot() {
    List<Multiaddr> out = punch(List.of(
        seen("/ip4/11.22.33.20/tcp/53211", 2, 53211),
        seen("/ip4/10.0.0.2/tcp/4001", 3, 4001),
        seen("/ip4/127.0.0.1/tcp/4001", 3, 4001)), 4001);
    assertThat(out).isEmpty();
    assertThat(punch(List.of(seen("/ip4/11.22.33.20/tcp/4001", 1, 4001)), 0)).as("no listen port").isEmpty();
  }

  @Test
  void mostObserversFirstAndAtMostFour() {
    List<ObservedAddress> all = new ArrayList<>();
    for (int i = 1; i <= 6; i++) all.add(seen("/ip4/11.22.33." + (20 + i) + "/tcp/4001", i, 4001));
    List<Multiaddr> out = punch(all, 4001);
    assertThat(out).hasSize(NatTraversal.MAX_UNCONFIRMED_PUNCH_ADDRESSES);
    assertThat(out.get(0)).isEqualTo(Multiaddr.parse("/ip4/11.22.33.26/tcp/4001"));
    assertThat(out).doesNotContain(Multiaddr.parse("/ip4/11.22.33.21/tcp/4001"));
  }
}
