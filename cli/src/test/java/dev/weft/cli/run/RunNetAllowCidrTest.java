package dev.weft.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.peer.PeerNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --allow-cidr} on the {@code weft run}/{@code weft node} options reaches the peer's host. */
class RunNetAllowCidrTest {
  @Test void theBlockReachesThePeersHost(@TempDir Path tmp) throws Exception {
    RunNetOptions o = new RunNetOptions();
    o.dir = tmp.resolve("peer");
    o.listen = List.of("/ip4/127.0.0.1/tcp/0");
    o.allowCidr = java.util.stream.Stream.of("127.0.0.0/8").map(dev.weft.p2p.resource.AddressPrefix::parse).toList();
    try (PeerNode n = o.start(false)) {
      assertThat(n.host().resourceManager().limits().allowlisted(InetAddress.getByName("127.0.0.1"))).isTrue();
      assertThat(n.host().resourceManager().limits().allowlisted(InetAddress.getByName("10.1.2.3"))).isFalse();
    }
    RunNetOptions plain = new RunNetOptions();
    plain.dir = tmp.resolve("plain");
    plain.listen = List.of("/ip4/127.0.0.1/tcp/0");
    try (PeerNode n = plain.start(false)) {
      assertThat(n.host().resourceManager().limits().allowlist()).isEmpty();
    }
  }
}
