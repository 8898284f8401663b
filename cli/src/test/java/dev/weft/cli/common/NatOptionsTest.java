package dev.weft.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import dev.weft.p2p.nat.traversal.NatConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft node}'s NAT traversal flags: all on by default, each piece off alone, conflicts refused before anything is created. */
class NatOptionsTest {
  static final String RELAY = "/ip4/203.0.113.7/tcp/4001/p2p/" + dev.weft.p2p.api.PeerId.fromPublicKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(9).publicKey()).toBase58();

  @Test void everythingIsOnByDefaultAndPortMappingSkipsALoopbackListener() {
    NatConfig wild = new NatOptions().config(List.of("/ip4/0.0.0.0/tcp/4001"));
    assertThat(List.of(wild.autonat(), wild.autonatServer(), wild.relayClient(), wild.relayService(), wild.holePunch(), wild.portMapping()))
        .containsOnly(true);
    assertThat(wild.lan()).isFalse();
    NatConfig loopback = new NatOptions().config(List.of("/ip4/127.0.0.1/tcp/0"));
    assertThat(loopback.portMapping()).as("nothing a router could forward to a loopback listener").isFalse();
    assertThat(loopback.relayClient()).isTrue();
  }

  @Test void eachFlagTurnsOffOnlyItsPiece() {
    NatOptions o = new NatOptions();
    o.noHolePunch = true;
    o.noRelayService = true;
    NatConfig c = o.config(List.of("/ip4/0.0.0.0/tcp/4001"));
    assertThat(c.holePunch()).isFalse();
    assertThat(c.relayService()).isFalse();
    assertThat(c.autonat() && c.autonatServer() && c.relayClient() && c.portMapping()).isTrue();
    NatOptions none = new NatOptions();
    none.none = true;
    assertThat(none.config(List.of("/ip4/0.0.0.0/tcp/4001"))).isEqualTo(NatConfig.OFF);
    NatOptions relay = new NatOptions();
    relay.relays = List.of(RELAY);
    assertThat(relay.config(List.of("/ip4/0.0.0.0/tcp/4001")).relays()).hasSize(1);
  }

  @Test void aRelayWithoutItsPeerIdIsRefusedBeforeTheFolderIsCreated(@TempDir Path tmp) {
    Path dir = tmp.resolve("node");
    String run = dev.weft.p2p.api.PeerId.fromPublicKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(3).publicKey()).toBase58() + "/tiny";
    CliRun r = CliRun.of("node", "--run", run, "--dir", dir.toString(), "--relay", "/ip4/203.0.113.7/tcp/4001");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--relay /ip4/203.0.113.7/tcp/4001").contains("needs /p2p/");
    assertThat(Files.exists(dir)).isFalse();
    CliRun conflict = CliRun.of("node", "--run", run, "--dir", dir.toString(), "--relay", RELAY, "--no-relay-client");
    assertThat(conflict.exit()).isEqualTo(2);
    assertThat(conflict.err()).contains("--relay asks for a reservation, which --no-relay-client turns off");
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test void theHelpNamesEveryPiece() {
    CliRun r = CliRun.of("node", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out() + r.err()).contains("--no-autonat", "--no-relay-client", "--no-relay-service", "--no-hole-punch", "--no-port-mapping", "--relay", "--lan");
  }
}
