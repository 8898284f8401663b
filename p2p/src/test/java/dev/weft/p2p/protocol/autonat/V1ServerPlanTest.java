package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v1.V1ServerPlan;
import dev.weft.p2p.protocol.autonat.v1.V1ServerPlan.Plan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class V1ServerPlanTest {
  static final PeerId REQUESTER = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  static final PeerId OTHER = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());
  static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/203.0.113.5/tcp/51000");
  final DialPolicy policy = new DialPolicy(AutonatServerConfig.DEFAULT, a -> true);

  @Test void dialsOnlyTheObservedIpAndAtMostFour() {
    List<Multiaddr> asked = new ArrayList<>();
    asked.add(Multiaddr.parse("/ip4/198.51.100.1/tcp/1"));
    for (int i = 1; i <= 6; i++) asked.add(Multiaddr.parse("/ip4/203.0.113.5/tcp/" + i));
    Plan p = V1ServerPlan.plan(new V1Message.Dial(REQUESTER.bytes(), asked), REQUESTER, OBSERVED, policy, true);
    assertThat(p).isInstanceOfSatisfying(Plan.DialInTurn.class, d -> assertThat(d.addresses()).hasSize(4)
        .allMatch(a -> a.toString().startsWith("/ip4/203.0.113.5/")));
    Plan unsafe = V1ServerPlan.plan(new V1Message.Dial(REQUESTER.bytes(), asked), REQUESTER, OBSERVED, policy, false);
    assertThat(((Plan.DialInTurn) unsafe).addresses()).first().isEqualTo(Multiaddr.parse("/ip4/198.51.100.1/tcp/1"));
  }

  @Test void refusesRelayedRequestsForeignIdsAndNothingDialable() {
    Multiaddr relayed = Multiaddr.parse("/ip4/198.51.100.1/tcp/1/p2p/" + OTHER + "/p2p-circuit");
    assertThat(status(V1ServerPlan.plan(new V1Message.Dial(REQUESTER.bytes(), List.of(OBSERVED)), REQUESTER, relayed, policy, true)))
        .isEqualTo(V1Message.Status.E_DIAL_REFUSED);
    assertThat(status(V1ServerPlan.plan(new V1Message.Dial(OTHER.bytes(), List.of(OBSERVED)), REQUESTER, OBSERVED, policy, true)))
        .isEqualTo(V1Message.Status.E_BAD_REQUEST);
    assertThat(status(V1ServerPlan.plan(new V1Message.Dial(REQUESTER.bytes(), List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"))),
        REQUESTER, OBSERVED, policy, true))).isEqualTo(V1Message.Status.E_DIAL_REFUSED);
  }

  static V1Message.Status status(Plan p) {
    return ((Plan.Respond) p).response().status();
  }
}
