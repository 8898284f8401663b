package dev.weft.node.http;

import dev.weft.p2p.resource.ResourceSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The host's resource-manager counters on {@code /metrics}: what is held now as gauges
 * ({@code weft_resource_connections}, ...), what was refused or shed since start as counters
 * ({@code weft_resource_refused_connections_total}, ...). An operator under a connection flood
 * sees the refusals climb while honest peers keep being served.
 */
public final class ResourceMetrics {
  private ResourceMetrics() {}

  /** Registers the counters of {@code snapshot} (read at each scrape) on {@code metrics}. */
  public static void register(NodeMetrics metrics, Supplier<ResourceSnapshot> snapshot) {
    gauge(metrics, "weft_resource_connections", "Connections held by the resource manager", snapshot, ResourceSnapshot::connections);
    gauge(metrics, "weft_resource_pending_inbound", "Inbound connections still handshaking", snapshot, ResourceSnapshot::pendingInbound);
    gauge(metrics, "weft_resource_pending_sources", "Distinct source addresses with a handshake pending", snapshot, ResourceSnapshot::sourcesPending);
    gauge(metrics, "weft_resource_streams", "Inbound streams reserved", snapshot, ResourceSnapshot::streams);
    gauge(metrics, "weft_resource_buffered_bytes", "Bytes buffered for peers (muxer and services)", snapshot, ResourceSnapshot::bufferedBytes);
    counter(metrics, "weft_resource_refused_connections", "Inbound connections refused at accept", snapshot, ResourceSnapshot::refusedConnections);
    counter(metrics, "weft_resource_shed_connections", "Connections closed to make room (oldest unidentified first)", snapshot, ResourceSnapshot::shedConnections);
    counter(metrics, "weft_resource_handshake_timeouts", "Handshakes cut at their deadline", snapshot, ResourceSnapshot::handshakeTimeouts);
    counter(metrics, "weft_resource_refused_streams", "Streams refused by a stream limit", snapshot, ResourceSnapshot::refusedStreams);
    counter(metrics, "weft_resource_refused_buffer_bytes", "Buffer reservations refused, in bytes", snapshot, ResourceSnapshot::refusedBufferBytes);
  }

  private static void gauge(NodeMetrics m, String name, String help, Supplier<ResourceSnapshot> s, ToDoubleFunction<ResourceSnapshot> f) {
    // Micrometer holds a meter's state object weakly: the state is the NodeMetrics (owned by the
    // dashboard), not the supplier lambda, which nothing else holds and would be collected.
    Gauge.builder(name, m, x -> f.applyAsDouble(s.get())).description(help).register(m.registry());
  }

  private static void counter(NodeMetrics m, String name, String help, Supplier<ResourceSnapshot> s, ToDoubleFunction<ResourceSnapshot> f) {
    FunctionCounter.builder(name, m, x -> f.applyAsDouble(s.get())).description(help).register(m.registry());
  }
}
