package dev.weft.cli.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cli.p2p.ServeCommands;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.cli.p2p.ServeSession;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gossipsub serve commands between two sessions on real TCP hosts on loopback. */
@Timeout(60)
class GossipServeCommandsTest {
  HostBuilder.Built a;
  HostBuilder.Built b;
  final ByteArrayOutputStream outA = new ByteArrayOutputStream();
  final ByteArrayOutputStream outB = new ByteArrayOutputStream();
  ServeSession sa;
  ServeSession sb;

  static HostBuilder.Built host(long seed) {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new)
        .listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    h.host().start().join();
    return h;
  }

  @BeforeEach void start() {
    a = host(11);
    b = host(12);
    sa = new ServeSession(a, ServeCommands.standard(), new PrintStream(outA, true, StandardCharsets.UTF_8));
    sb = new ServeSession(b, ServeCommands.standard(), new PrintStream(outB, true, StandardCharsets.UTF_8));
  }

  @AfterEach void stop() {
    a.host().close();
    b.host().close();
  }

  static JsonNode run(ServeSession s, String line) throws Exception {
    return s.handle(line).get(30, TimeUnit.SECONDS);
  }

  @Test void subscribePublishAndMessageEvents() throws Exception {
    GossipOptions opts = new GossipOptions();
    opts.topics.add("t");
    opts.attach(sa.context());
    assertThat(run(sb, "{\"id\":1,\"cmd\":\"subscribe\",\"topic\":\"t\"}").get("topic").asText()).isEqualTo("t");
    String addrA = a.host().listenAddresses().get(0).withPeerId(a.host().peerId()).toString();
    run(sb, "{\"cmd\":\"dial\",\"addr\":\"" + addrA + "\"}");
    JsonNode mesh = null;
    for (int i = 0; i < 100; i++) {
      mesh = run(sb, "{\"cmd\":\"mesh\",\"topic\":\"t\"}");
      if (mesh.get("mesh").size() == 1) break;
      Thread.sleep(100);
    }
    assertThat(mesh.get("mesh").get(0).asText()).isEqualTo(a.host().peerId().toBase58());
    String data = Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8));
    JsonNode pub = run(sb, "{\"id\":2,\"cmd\":\"publish\",\"topic\":\"t\",\"data\":\"" + data + "\"}");
    assertThat(pub.get("peers").asInt()).isEqualTo(1);
    JsonNode event = null;
    for (int i = 0; i < 100 && event == null; i++) {
      for (String line : outA.toString(StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"event\":\"message\"")) event = ServeContext.JSON.readTree(line);
      }
      if (event == null) Thread.sleep(50);
    }
    assertThat(event).as("message event on A").isNotNull();
    assertThat(event.get("topic").asText()).isEqualTo("t");
    assertThat(event.get("from").asText()).isEqualTo(b.host().peerId().toBase58());
    assertThat(event.get("data").asText()).isEqualTo(data);
    assertThat(event.get("seqno").asText()).isEqualTo(pub.get("seqno").asText());
    assertThat(event.get("msgId").asText()).isEqualTo(pub.get("msgId").asText());
  }

  @Test void badArgumentsGiveOneLineErrors() throws Exception {
    assertThat(run(sa, "{\"cmd\":\"publish\",\"topic\":\"t\",\"data\":\"%%\"}").get("error").asText()).contains("base64");
    assertThat(run(sa, "{\"cmd\":\"subscribe\",\"topic\":\"\"}").get("error").asText()).contains("topic");
    assertThat(run(sa, "{\"cmd\":\"subscribe\"}").get("error").asText()).contains("topic");
    assertThat(run(sa, "{\"cmd\":\"help\"}").get("commands").has("publish")).isTrue();
  }
}
