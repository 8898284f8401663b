package dev.weft.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.resource.ResourceSnapshot;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ResourceMetricsTest {
  @Test
  void snapshotCountersAreExposedAndFollowTheManager() {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(5)).transport(TcpTransport::new).buildWithServices();
    try {
      NodeMetrics metrics = new NodeMetrics(new NodeStatus(h.host(), new TrainingStatus()));
      AtomicReference<ResourceSnapshot> snap = new AtomicReference<>(((BasicHost) h.host()).resourceManager().snapshot());
      ResourceMetrics.register(metrics, snap::get);
      PrometheusText before = PrometheusText.parse(metrics.scrape());
      assertThat(before.types).containsEntry("weft_resource_connections", "gauge").containsEntry("weft_resource_refused_connections_total", "counter");
      assertThat(before.value("weft_resource_connections")).isZero();
      snap.set(new ResourceSnapshot(7, 3, 11, 4096, 2, 250, 12, 40, 1, 65536));
      PrometheusText after = PrometheusText.parse(metrics.scrape());
      assertThat(after.value("weft_resource_connections")).isEqualTo(7.0);
      assertThat(after.value("weft_resource_pending_inbound")).isEqualTo(3.0);
      assertThat(after.value("weft_resource_buffered_bytes")).isEqualTo(4096.0);
      assertThat(after.value("weft_resource_refused_connections_total")).isEqualTo(250.0);
      assertThat(after.value("weft_resource_handshake_timeouts_total")).isEqualTo(40.0);
    } finally {
      h.host().close();
    }
  }
}
