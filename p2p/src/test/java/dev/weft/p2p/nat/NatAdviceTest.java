package dev.weft.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.Reachability;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The NAT mapping behaviour read from observations, and the plain words it turns into. */
class NatAdviceTest {
  static final PeerId R = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  static final Multiaddr LISTEN = Multiaddr.parse("/ip4/10.1.0.2/tcp/4001");

  static ObservedAddress seen(String addr, int observers, Integer... localPorts) {
    return new ObservedAddress(Multiaddr.parse(addr), observers, 1, true, Set.of(localPorts));
  }

  /** R could dial none of: our observed IP with the listen port, and every observed address (as NatCheck tests them). */
  static NatReport privateReport(List<ObservedAddress> observed) {
    List<Multiaddr> tested = new java.util.ArrayList<>(List.of(Multiaddr.parse("/ip4/11.22.33.1/tcp/4001")));
    for (ObservedAddress o : observed) if (!tested.contains(o.address())) tested.add(o.address());
    List<Reachability.AddressStatus> statuses = tested.stream()
        .map(t -> new Reachability.AddressStatus(t, Reachability.Status.PRIVATE, 0, 1, 1.0, List.of(), List.of(R))).toList();
    return new NatReport(R, List.of(LISTEN), List.of(new NatReport.PeerResult(Multiaddr.parse("/ip4/11.22.33.10/tcp/4001"), R, true, "v2", null)),
        observed, tested, statuses, List.of(), Reachability.Status.PRIVATE, 1);
  }

  @Test void oneLocalPortAtTwoPublicPortsIsEndpointDependent() {
    List<ObservedAddress> o = List.of(seen("/ip4/11.22.33.1/tcp/51696", 1, 4001), seen("/ip4/11.22.33.1/tcp/2142", 1, 4001));
    assertThat(NatAdvice.mapping(o)).isEqualTo(NatAdvice.Mapping.ENDPOINT_DEPENDENT);
    assertThat(String.join(" ", NatAdvice.of(privateReport(o)).todo()))
        .contains("maps ports per destination (symmetric NAT)").contains("through a relay").contains("enable UPnP / NAT-PMP")
        .contains("forward TCP port 4001 ").doesNotContain("51696").doesNotContain("2142");
  }

  @Test void whenOnlyARouterPickedPortWasTestedTheListenPortIsTheOneToForward() {
    List<ObservedAddress> o = List.of(seen("/ip4/11.22.33.1/tcp/12432", 1, 4001), seen("/ip4/11.22.33.1/tcp/2142", 1, 4001));
    Multiaddr picked = Multiaddr.parse("/ip4/11.22.33.1/tcp/12432");
    NatReport r = new NatReport(R, List.of(LISTEN), List.of(new NatReport.PeerResult(Multiaddr.parse("/ip4/11.22.33.10/tcp/4001"), R, true, "v2", null)),
        o, List.of(picked), List.of(new Reachability.AddressStatus(picked, Reachability.Status.PRIVATE, 0, 1, 1.0, List.of(), List.of(R))),
        List.of(), Reachability.Status.PRIVATE, 1);
    assertThat(String.join(" ", NatAdvice.of(r).todo())).contains("forward TCP port 4001 ").doesNotContain("12432 ");
  }

  @Test void oneLocalPortAtOnePublicPortForTwoObserversIsEndpointIndependent() {
    List<ObservedAddress> o = List.of(seen("/ip4/11.22.33.1/tcp/4001", 2, 4001));
    assertThat(NatAdvice.mapping(o)).isEqualTo(NatAdvice.Mapping.ENDPOINT_INDEPENDENT);
    assertThat(String.join(" ", NatAdvice.of(privateReport(o)).todo())).contains("(cone NAT)").contains("hole punching upgrades");
  }

  @Test void oneObserverOrPortsOfTheirOwnTellNothing() {
    assertThat(NatAdvice.mapping(List.of(seen("/ip4/11.22.33.1/tcp/4001", 1, 4001)))).isEqualTo(NatAdvice.Mapping.UNKNOWN);
    // Without port reuse every connection has its own local port: different public ports, no conclusion.
    List<ObservedAddress> ephemeral = List.of(seen("/ip4/11.22.33.1/tcp/40001", 1, 40001), seen("/ip4/11.22.33.1/tcp/40002", 1, 40002));
    assertThat(NatAdvice.mapping(ephemeral)).isEqualTo(NatAdvice.Mapping.UNKNOWN);
    assertThat(String.join(" ", NatAdvice.of(privateReport(ephemeral)).todo())).contains("try to upgrade to a direct connection by hole punching");
    assertThat(NatAdvice.mapping(List.of())).isEqualTo(NatAdvice.Mapping.UNKNOWN);
  }

  @Test void twoRoutersAddressesAreNotMixedUp() {
    // The same local port behind two different public IPs (two uplinks) is not one port remapped.
    List<ObservedAddress> o = List.of(seen("/ip4/11.22.33.1/tcp/4001", 1, 4001), seen("/ip4/11.22.44.1/tcp/4001", 1, 4001));
    assertThat(NatAdvice.mapping(o)).isEqualTo(NatAdvice.Mapping.UNKNOWN);
  }
}
