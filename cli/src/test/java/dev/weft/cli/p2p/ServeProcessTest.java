package dev.weft.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft p2p serve} as a real process, the way a service manager, a background job and a
 * driving program start it: without stdin it keeps running until a signal; with a pipe it speaks
 * the JSON protocol and stops at end of input; {@code --config} supplies options.
 */
class ServeProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static ProcessBuilder weft(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.weft.cli.Main");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private static String waitForLine(BufferedReader r, String needle, long millis) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < end) {
      String line = r.readLine();
      if (line == null) break;
      seen.append(line).append('\n');
      if (line.contains(needle)) return line;
    }
    throw new AssertionError("no line with '" + needle + "' in:\n" + seen);
  }

  @Test
  void withStdinFromDevNullItKeepsRunningUntilSigterm() throws Exception {
    Process p = weft("p2p", "serve", "--seed", "7").redirectInput(new File("/dev/null")).start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
      String serving = waitForLine(err, "serving as", 30_000);
      assertThat(serving).contains("/ip4/127.0.0.1/tcp/");
      waitForLine(err, "running until stopped", 5_000);
      assertThat(p.waitFor(2, TimeUnit.SECONDS)).as("still serving with stdin at end of file").isFalse();
      assertThat(p.getInputStream().available()).as("human mode keeps stdout empty").isZero();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isIn(0, 143);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withAPipeItSpeaksTheJsonProtocolAndStopsAtEndOfInput() throws Exception {
    Process p = weft("p2p", "serve", "--seed", "8").start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      JsonNode identity = JSON.readTree(out.readLine());
      assertThat(identity.get("peerId").asText()).startsWith("12D3KooW");
      OutputStream in = p.getOutputStream();
      in.write("{\"id\":1,\"cmd\":\"help\"}\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      JsonNode help = JSON.readTree(out.readLine());
      assertThat(help.get("id").asInt()).isEqualTo(1);
      assertThat(help.get("commands").has("ping")).isTrue();
      in.close();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void configFileSuppliesOptionsAndAMisspeltKeyIsAnError() throws Exception {
    Path config = dir.resolve("serve.toml");
    Files.writeString(config, "[p2p.serve]\nlisten = [\"/ip4/127.0.0.1/tcp/0\"]\nseed = 9\nstdin = \"off\"\n");
    Process p = weft("p2p", "serve", "--config", config.toString(), "--json").start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      JsonNode identity = JSON.readTree(out.readLine());
      assertThat(identity.get("peerId").asText()).isEqualTo(seedPeer(9));
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    Files.writeString(config, "[p2p.serve]\nlistn = [\"/ip4/127.0.0.1/tcp/0\"]\n");
    Process bad = weft("p2p", "serve", "--config", config.toString()).redirectInput(new File("/dev/null")).start();
    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(err).contains(config.toString()).contains("listn");
  }

  private static String seedPeer(long seed) {
    return dev.weft.p2p.api.PeerId.fromPublicKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(seed).publicKey()).toBase58();
  }

  /**
   * A serve process is a relay and an AutoNAT server by default: a volunteer that cannot be dialled
   * (it listens nowhere) reserves a slot on it, as a node's NAT policy does with any hop it is
   * connected to; with --no-relay-service the same volunteer finds no hop there.
   */
  @Test
  void aServeProcessRelaysForAPrivateVolunteerUnlessTurnedOff() throws Exception {
    for (boolean relay : new boolean[] {true, false}) {
      List<String> args = new ArrayList<>(List.of("p2p", "serve", "--seed", relay ? "9" : "10", "--stdin", "off", "--json", "--lan"));
      if (!relay) args.add("--no-relay-service");
      Process p = weft(args.toArray(String[]::new)).redirectInput(new File("/dev/null")).start();
      try (dev.weft.p2p.host.BasicHost v = dev.weft.p2p.host.BasicHost.builder().privateKey(dev.weft.p2p.crypto.Ed25519.fromSeedNumber(11))
          .transport(dev.weft.p2p.transport.tcp.TcpTransport::new).service(dev.weft.p2p.nat.relay.RelayClient.factory(
              dev.weft.p2p.nat.relay.RelayClientConfig.dialOnly())).build()) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        JsonNode identity = JSON.readTree(out.readLine());
        dev.weft.p2p.multiformats.Multiaddr addr = dev.weft.p2p.multiformats.Multiaddr.parse(identity.get("addrs").get(0).asText());
        if (addr.peerId().isEmpty()) addr = addr.withPeerId(dev.weft.p2p.api.PeerId.parse(identity.get("peerId").asText()));
        v.start().get(10, TimeUnit.SECONDS);
        dev.weft.p2p.api.Connection c = v.dial(addr).get(20, TimeUnit.SECONDS);
        java.util.List<String> protocols = v.service(dev.weft.p2p.protocol.identify.IdentifyService.class).orElseThrow().identify(c)
            .get(20, TimeUnit.SECONDS).protocols();
        assertThat(protocols.contains(dev.weft.p2p.nat.relay.RelayProtocol.HOP)).as("hop offered, relay=" + relay).isEqualTo(relay);
        assertThat(protocols).as("AutoNAT is served either way").contains(dev.weft.p2p.protocol.autonat.AutonatProtocol.V2_DIAL_REQUEST);
        if (relay) {
          var held = v.service(dev.weft.p2p.nat.relay.RelayClient.class).orElseThrow().reserve(addr).get(20, TimeUnit.SECONDS);
          assertThat(held.relay().toBase58()).isEqualTo(identity.get("peerId").asText());
        }
      } finally {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
  }
}
