package dev.weft.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.CliRun;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.protocol.autonat.AutonatServer;
import dev.weft.p2p.protocol.autonat.AutonatServerConfig;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `weft doctor` against three in-process AutoNAT servers on loopback (127.1, 127.2, 127.3). */
@Timeout(120)
class DoctorCommandTest {
  final List<BasicHost> servers = new ArrayList<>();

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  String peers() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      BasicHost h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(200 + i)).transport(TcpTransport::new)
          .listen("/ip4/127." + i + ".0.1/tcp/0").build();
      h.start().join();
      AutonatServer.install(h, AutonatServerConfig.DEFAULT.withAllowPrivateAddresses(true));
      servers.add(h);
      out.add(h.listenAddresses().get(0).withPeerId(h.peerId()).toString());
    }
    return String.join(",", out);
  }

  @AfterEach void close() {
    servers.forEach(BasicHost::close);
  }

  @Test void reportsAReachableNodeInPlainWordsAndKeepsStdoutEmpty() {
    CliRun r = run("doctor", "--seed", "1", "--listen", "/ip4/127.0.0.1/tcp/0", "--include-private", "--peer", peers());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Peers (3 of 3 reached, 3 offer AutoNAT)").contains("What peers see you as:")
        .containsPattern("Your node is reachable at /ip4/127\\.0\\.0\\.1/tcp/\\d+: other volunteers can connect to you directly\\.")
        // this machine's gateway speaks no NAT-PMP: said so, and the check went on
        .contains("Port mapping: ");
  }

  @Test void jsonSaysPrivateAndWhatToDoForAPortThatIsNotForwarded() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun r = run("doctor", "--json", "--no-port-mapping", "--listen", "/ip4/127.0.0.1/tcp/0", "--test-address", "/ip4/127.0.0.1/tcp/" + port, "--peer", peers());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("reachability").asText()).isEqualTo("PRIVATE");
    assertThat(j.get("addresses").get(0).get("failures").asInt()).isEqualTo(3);
    assertThat(j.get("addresses").get(0).get("unreachableBy")).hasSize(3);
    assertThat(j.get("verdict").asText()).startsWith("Behind a NAT or firewall");
    assertThat(j.get("advice").toString()).contains("relay").contains("forward TCP port " + port);
  }

  @Test void noPeerReachedIsAFailureWithAReason() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String nobody = "/ip4/127.0.0.1/tcp/" + port + "/p2p/" + dev.weft.p2p.api.PeerId.fromPublicKey(Ed25519.fromSeedNumber(9).publicKey());
    CliRun r = run("doctor", "--no-port-mapping", "--listen", "/ip4/127.0.0.1/tcp/0", "--timeout", "5", "--peer", nobody);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("not reached").contains("Could not reach any peer").contains("weft: doctor: no peer could be reached");
  }

  @Test void usageErrors() {
    assertThat(run("doctor").exit()).isEqualTo(2);
    CliRun noId = run("doctor", "--peer", "/ip4/127.0.0.1/tcp/1");
    assertThat(noId.exit()).isEqualTo(2);
    assertThat(noId.err()).contains("no /p2p/");
    assertThat(run("doctor", "--help").out()).contains("Examples:");
  }
}
