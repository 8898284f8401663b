package dev.weft.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import dev.weft.p2p.host.HostBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --allow-cidr} on {@code weft p2p serve} and {@code weft node}: a bad block is refused with
 * its reason (exit 2) before anything is created, and a good one reaches the host's resource
 * manager, and only the sources inside it lose their per-source shares.
 */
class AllowCidrOptionTest {
  @Test void badBlockOnServeIsNamedWithItsReasonAndExitsTwo() {
    CliRun r = CliRun.of("p2p", "serve", "--seed", "1", "--allow-cidr", "10.0.0.1/8");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '--allow-cidr'").contains("'10.0.0.1/8'").contains("10.0.0.0/8");
    CliRun name = CliRun.of("p2p", "serve", "--seed", "1", "--allow-cidr", "localhost/8");
    assertThat(name.exit()).isEqualTo(2);
    assertThat(name.err()).contains("--allow-cidr").contains("'localhost/8'").contains("not an IPv4 or IPv6 address literal");
  }

  @Test void badBlockOnNodeIsRefusedBeforeItsFolderIsCreated(@TempDir Path tmp) {
    Path dir = tmp.resolve("node");
    String coordinator = dev.weft.p2p.api.PeerId.fromPublicKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(3).publicKey()).toBase58();
    CliRun r = CliRun.of("node", "--run", coordinator + "/tiny", "--dir", dir.toString(),
        "--allow-cidr", "192.168.1.0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--allow-cidr").contains("'192.168.1.0'").contains("needs a length");
    assertThat(Files.exists(dir)).as("no identity or folder for a refused command").isFalse();
  }

  @Test void aBadBlockInAConfigFileIsRefusedTheSameWay(@TempDir Path tmp) throws Exception {
    Path toml = tmp.resolve("serve.toml");
    Files.writeString(toml, "[p2p.serve]\nallow-cidr = [\"127.0.0.0/8\", \"nonsense\"]\n");
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = dev.weft.cli.Main.run(new String[] {"p2p", "serve", "--seed", "1", "--config", toml.toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err, true));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--allow-cidr").contains("'nonsense' needs a length");
  }

  @Test void tooManyBlocksAreRefused() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 65; i++) many.append(i == 0 ? "" : ",").append("10.").append(i).append(".0.0/16");
    CliRun r = CliRun.of("p2p", "serve", "--seed", "1", "--allow-cidr", many.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--allow-cidr given 65 times, at most 64");
  }

  @Test void theBlocksReachTheHostAndOnlyTheyAreExempt() throws Exception {
    NodeOptions o = new NodeOptions();
    o.seed = 7L;
    o.listen = List.of("/ip4/127.0.0.1/tcp/0");
    o.allowCidr = java.util.stream.Stream.of("127.0.0.0/8", "fd00::/8").map(dev.weft.p2p.resource.AddressPrefix::parse).toList();
    HostBuilder.Built b = o.start(false);
    try {
      var limits = b.host().resourceManager().limits();
      assertThat(limits.allowlisted(InetAddress.getByName("127.0.0.1"))).isTrue();
      assertThat(limits.allowlisted(InetAddress.getByName("fd00::5"))).isTrue();
      assertThat(limits.allowlisted(InetAddress.getByName("192.168.1.5"))).isFalse();
      assertThat(limits.maxPendingPerIp()).as("the other limits stay the defaults").isEqualTo(dev.weft.p2p.resource.ResourceLimits.DEFAULT.maxPendingPerIp());
    } finally {
      b.host().close();
    }
    NodeOptions plain = new NodeOptions();
    plain.seed = 8L;
    plain.listen = List.of("/ip4/127.0.0.1/tcp/0");
    HostBuilder.Built p = plain.start(false);
    try {
      assertThat(p.host().resourceManager().limits().allowlisted(InetAddress.getByName("127.0.0.1"))).as("nothing exempt by default").isFalse();
    } finally {
      p.host().close();
    }
  }
}
