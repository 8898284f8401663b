package dev.weft.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP API and /metrics on a real host with a real connection, over loopback. */
class DashboardServerTest {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  HostBuilder.Built a;
  HostBuilder.Built b;
  TrainingStatus training = new TrainingStatus();
  DashboardServer server;

  static HostBuilder.Built host(long seed) throws Exception {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new)
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).buildWithServices();
    h.host().start().get(10, TimeUnit.SECONDS);
    return h;
  }

  @BeforeEach
  void start() throws Exception {
    a = host(1);
    b = host(2);
    b.host().dial(a.host().listenAddresses().get(0).withPeerId(a.host().peerId())).get(10, TimeUnit.SECONDS);
    NodeStatus status = new NodeStatus(a.host(), training);
    server = DashboardServer.start(new DashboardConfig("127.0.0.1", 0, 1000), status, new NodeMetrics(status));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (b != null) b.host().close();
    if (a != null) a.host().close();
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  @Test
  void statusShowsPeersAndTraining() throws Exception {
    training.round(3, "training");
    training.loss(1, 2.5);
    training.loss(2, 2.1);
    training.contribution(new TrainingStatus.ContributionStatus(2, "included", "sealed with 5 others"));
    JsonNode s = new ObjectMapper().readTree(get(server.url("127.0.0.1") + "api/status"));
    assertThat(s.get("peerId").asText()).isEqualTo(a.host().peerId().toBase58());
    assertThat(s.get("peers")).hasSize(1);
    assertThat(s.get("peers").get(0).get("peer").asText()).isEqualTo(b.host().peerId().toBase58());
    assertThat(s.get("peers").get(0).get("type").asText()).isEqualTo("direct");
    assertThat(s.get("peers").get(0).get("direction").asText()).isEqualTo("inbound");
    assertThat(s.get("training").get("round").asInt()).isEqualTo(3);
    assertThat(s.get("training").get("loss")).hasSize(2);
    assertThat(s.get("training").get("lastContribution").get("fate").asText()).isEqualTo("included");
  }

  @Test
  void metricsAreValidPrometheusTextAndFollowTheNode() throws Exception {
    PrometheusText before = PrometheusText.parse(get(server.url("127.0.0.1") + "metrics"));
    assertThat(before.types).containsEntry("weft_connections", "gauge");
    assertThat(before.value("weft_connections", "direction", "inbound", "type", "direct")).isEqualTo(1.0);
    assertThat(before.value("weft_connections", "direction", "outbound", "type", "direct")).isZero();
    assertThat(before.value("weft_training_validation_loss")).isNaN();
    training.round(4, "waiting");
    training.loss(4, 1.75);
    PrometheusText after = PrometheusText.parse(get(server.url("127.0.0.1") + "metrics"));
    assertThat(after.value("weft_training_round")).isEqualTo(4.0);
    assertThat(after.value("weft_training_validation_loss")).isEqualTo(1.75);
  }

  @Test
  void theParserRejectsMalformedExpositions() {
    assertThatThrownBy(() -> PrometheusText.parse("weft_x 1\n")).hasMessageContaining("untyped family");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE weft_x gauge\nweft_x{a=1} 1\n")).hasMessageContaining("not quoted");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE weft_x gauge\nweft_x one\n")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pageIsServedAndATakenPortIsAClearError() throws Exception {
    assertThat(get(server.url("127.0.0.1"))).contains("lossPlot").contains("/api/status");
    assertThatThrownBy(() -> DashboardServer.start(new DashboardConfig("127.0.0.1", server.port(), 1000),
        new NodeStatus(a.host(), training), new NodeMetrics(new NodeStatus(a.host(), training))))
        .hasMessageContaining("cannot start the dashboard on 127.0.0.1:" + server.port());
  }
}
