package dev.weft.node.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics ({@code GET /metrics}), read when scraped from the live objects
 * (no copies that can go stale): connections by direction and type, training round and loss.
 * Other parts register their own gauges through {@link #gauge} (the resource manager's counters,
 * gossipsub, the DHT, the round protocol), so this class does not depend on each of them.
 *
 * <p>Metric names follow Prometheus conventions: {@code weft_} prefix, base units, {@code _total}
 * for counters.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public NodeMetrics(NodeStatus status) {
    for (String direction : new String[] {"inbound", "outbound"}) {
      for (String type : new String[] {"direct", "relayed"}) {
        boolean outbound = direction.equals("outbound");
        boolean relayed = type.equals("relayed");
        Gauge.builder("weft_connections", status, s -> s.host().connections().stream()
                .filter(c -> c.isInitiator() == outbound && NodeStatus.relayed(c) == relayed).count())
            .description("Open connections").tag("direction", direction).tag("type", type).register(registry);
      }
    }
    Gauge.builder("weft_streams", status, s -> s.host().connections().stream().mapToLong(c -> c.streams().size()).sum())
        .description("Open streams over all connections").register(registry);
    Gauge.builder("weft_training_round", status, s -> s.training().snapshot().round())
        .description("Current outer round (-1 before the first)").register(registry);
    Gauge.builder("weft_training_validation_loss", status, s -> {
      Double l = s.training().snapshot().lastLoss();
      return l == null ? Double.NaN : l;
    }).description("Last validation loss, nats per byte").register(registry);
  }

  /** Registers a gauge read from {@code source} at each scrape; {@code tags} are name/value pairs. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
    Gauge.builder(name, source, value).description(description).tags(tags).register(registry);
  }

  /** Registers a gauge read from a supplier. */
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
