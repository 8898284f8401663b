package dev.weft.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cli.Main;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serve protocol against real TCP hosts on loopback, driven in-process. */
@Timeout(60)
class ServeSessionTest {
  HostBuilder.Built a;
  HostBuilder.Built b;
  final ByteArrayOutputStream outA = new ByteArrayOutputStream();
  ServeSession session;
  String addrB;

  static HostBuilder.Built host(long seed) {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").perf(true).buildWithServices();
    h.host().start().join();
    return h;
  }

  @BeforeEach void start() {
    a = host(1);
    b = host(2);
    session = new ServeSession(a, ServeCommands.standard(), new PrintStream(outA, true, StandardCharsets.UTF_8));
    addrB = b.host().listenAddresses().get(0).withPeerId(b.host().peerId()).toString();
  }

  @AfterEach void stop() {
    a.host().close();
    b.host().close();
  }

  JsonNode run(String line) throws Exception {
    return session.handle(line).get(30, TimeUnit.SECONDS);
  }

  @Test void identityLineNamesThePeerAndItsAddresses() {
    JsonNode id = session.identityLine();
    assertThat(id.get("peerId").asText()).isEqualTo(a.host().peerId().toBase58());
    assertThat(id.get("addrs").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + a.host().peerId());
  }

  @Test void dialPingIdentifyPerfAndPeers() throws Exception {
    JsonNode dial = run("{\"id\":1,\"cmd\":\"dial\",\"addr\":\"" + addrB + "\"}");
    assertThat(dial.get("id").asInt()).isEqualTo(1);
    assertThat(dial.get("peer").asText()).isEqualTo(b.host().peerId().toBase58());

    JsonNode ping = run("{\"id\":\"p\",\"cmd\":\"ping\",\"addr\":\"" + addrB + "\",\"count\":3}");
    assertThat(ping.get("id").asText()).isEqualTo("p");
    assertThat(ping.get("rtts")).hasSize(3);

    JsonNode ident = run("{\"cmd\":\"identify\",\"addr\":\"" + addrB + "\"}");
    List<String> protocols = new ArrayList<>();
    ident.get("protocols").forEach(p -> protocols.add(p.asText()));
    assertThat(protocols).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0");
    assertThat(ident.get("listenAddrs").get(0).asText()).isEqualTo(b.host().listenAddresses().get(0).toString());
    assertThat(ident.get("agentVersion").asText()).isEqualTo("weft/0.1.0");
    assertThat(ident.get("observedAddr").asText()).startsWith("/ip4/127.0.0.1/tcp/");

    JsonNode perf = run("{\"cmd\":\"perf\",\"addr\":\"" + addrB + "\",\"upload\":1048576,\"download\":2097152}");
    assertThat(perf.get("upload").asLong()).isEqualTo(1 << 20);
    assertThat(perf.get("download").asLong()).isEqualTo(2 << 20);
    assertThat(perf.get("uploadBytesPerSecond").asLong()).isPositive();
    assertThat(perf.get("downloadBytesPerSecond").asLong()).isPositive();

    JsonNode byPeer = run("{\"cmd\":\"ping\",\"peer\":\"" + b.host().peerId() + "\"}");
    assertThat(byPeer.get("rtts")).hasSize(1);

    JsonNode peers = run("{\"cmd\":\"peers\"}");
    assertThat(peers.get("peers")).hasSize(1);
    assertThat(peers.get("peers").get(0).get("peer").asText()).isEqualTo(b.host().peerId().toBase58());
  }

  @Test void badCommandsGiveErrorLinesAndTheSessionGoesOn() throws Exception {
    assertThat(run("not json").get("error").asText()).startsWith("invalid JSON");
    assertThat(run("[1,2]").get("error").asText()).contains("JSON object");
    JsonNode unknown = run("{\"id\":7,\"cmd\":\"fly\"}");
    assertThat(unknown.get("id").asInt()).isEqualTo(7);
    assertThat(unknown.get("error").asText()).contains("unknown command");
    assertThat(run("{\"cmd\":\"ping\"}").get("error").asText()).contains("addr");
    assertThat(run("{\"cmd\":\"ping\",\"addr\":\"/nonsense\"}").get("error").asText()).contains("bad addr");
    assertThat(run("{\"cmd\":\"ping\",\"addr\":\"" + addrB + "\",\"count\":-1}").get("error").asText()).contains("count");
    assertThat(run("{\"cmd\":\"ping\",\"addr\":\"/ip4/127.0.0.1/tcp/1\"}").has("error")).isTrue();
    assertThat(run("{\"cmd\":\"ping\",\"addr\":\"" + addrB + "\"}").get("rtts")).hasSize(1);
    assertThat(run("{\"cmd\":\"help\"}").get("commands").has("perf")).isTrue();
  }

  @Test void runPrintsIdentityFirstThenOneLinePerCommandUntilEndOfInput() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ServeSession s = new ServeSession(a, ServeCommands.standard(), new PrintStream(out, true, StandardCharsets.UTF_8));
    s.run(new StringReader("{\"id\":1,\"cmd\":\"dial\",\"addr\":\"" + addrB + "\"}\n\n" + "x".repeat(ServeSession.MAX_LINE_CHARS + 10) + "\n{\"id\":2,\"cmd\":\"peers\"}\n"));
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).startsWith("{\"peerId\":\"" + a.host().peerId());
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"connected\"")).anyMatch(l -> l.contains("\"id\":1")).anyMatch(l -> l.contains("\"id\":2")).anyMatch(l -> l.contains("longer than"));
  }

  @Test void oneShotPingPrintsJsonAndFailuresExitNonZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = P2pCommand.stdout;
    P2pCommand.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    try {
      int ok = Main.commandLine().execute("p2p", "ping", addrB, "--count", "2");
      assertThat(ok).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"rtts\":[").contains(b.host().peerId().toBase58());
      int fail = Main.commandLine().execute("p2p", "ping", "/ip4/127.0.0.1/tcp/1/p2p/" + b.host().peerId());
      assertThat(fail).isNotZero();
      int perf = Main.commandLine().execute("p2p", "perf", addrB, "--upload", "1000", "--download", "2000");
      assertThat(perf).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"download\":2000");
    } finally {
      P2pCommand.stdout = old;
    }
  }
}
