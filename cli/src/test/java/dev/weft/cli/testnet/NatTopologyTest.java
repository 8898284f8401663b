package dev.weft.cli.testnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where {@code --topology} puts each volunteer, and its usage errors (the namespaces themselves: docs/testnet.md, "Behind NATs"). */
class NatTopologyTest {
  @Test
  void natPutsEveryoneBehindACone_mixedTakesConeSymmetricPublicInTurn() {
    for (int i = 0; i < 6; i++) assertThat(NatTopology.Kind.parse("nat").home(i)).isEqualTo(NatTopology.Home.CONE);
    NatTopology.Kind mixed = NatTopology.Kind.parse("NAT-mixed");
    assertThat(mixed.home(0)).isEqualTo(NatTopology.Home.CONE);
    assertThat(mixed.home(1)).isEqualTo(NatTopology.Home.SYMMETRIC);
    assertThat(mixed.home(2)).isEqualTo(NatTopology.Home.PUBLIC);
    assertThat(mixed.home(3)).isEqualTo(NatTopology.Home.CONE);
    assertThat(NatTopology.Kind.parse("loopback")).isEqualTo(NatTopology.Kind.LOOPBACK);
    assertThatThrownBy(() -> NatTopology.Kind.parse("mesh")).hasMessageContaining("loopback, nat or nat-mixed");
  }

  @Test
  void anUnknownTopologyIsAUsageError() {
    TestnetCommandTest.Run r = TestnetCommandTest.run("testnet", "--topology", "mesh", "--no-clean");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--topology must be loopback, nat or nat-mixed, not 'mesh'");
  }
}
