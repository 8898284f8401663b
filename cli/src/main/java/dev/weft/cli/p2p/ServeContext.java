package dev.weft.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.identify.IdentifyService;
import dev.weft.p2p.protocol.perf.PerfService;
import dev.weft.p2p.protocol.ping.PingService;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What serve commands work with: the running host, its protocol services, JSON helpers, the output. */
public final class ServeContext {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HostBuilder.Built node;
  private final Consumer<ObjectNode> out;

  public ServeContext(HostBuilder.Built node, Consumer<ObjectNode> out) {
    this.node = node;
    this.out = out;
  }

  public BasicHost host() {
    return node.host();
  }

  public IdentifyService identify() {
    if (node.identify() == null) throw new IllegalStateException("identify is disabled on this host");
    return node.identify();
  }

  public PingService ping() {
    if (node.ping() == null) throw new IllegalStateException("ping is disabled on this host");
    return node.ping();
  }

  public PerfService perf() {
    return node.perf();
  }

  /** Prints an unsolicited line (events). Thread-safe. */
  public void emit(ObjectNode line) {
    out.accept(line);
  }

  /** The connection for the request's {@code "addr"} (a multiaddr, usually with /p2p/) or {@code "peer"}. */
  public CompletableFuture<Connection> connection(JsonNode request) {
    if (request.hasNonNull("addr")) {
      Multiaddr addr;
      try {
        addr = Multiaddr.parse(text(request, "addr"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad addr: " + e.getMessage());
      }
      return host().dial(addr);
    }
    if (request.hasNonNull("peer")) {
      PeerId peer;
      try {
        peer = PeerId.parse(text(request, "peer"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad peer: " + e.getMessage());
      }
      return host().connect(peer);
    }
    throw new IllegalArgumentException("needs \"addr\" (multiaddr) or \"peer\" (peer id)");
  }

  public static String text(JsonNode request, String field) {
    JsonNode n = request.get(field);
    if (n == null || !n.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
    return n.asText();
  }

  /** A non-negative integer field, {@code dflt} when absent; rejects other types and values over {@code max}. */
  public static long count(JsonNode request, String field, long dflt, long max) {
    JsonNode n = request.get(field);
    if (n == null || n.isNull()) return dflt;
    if (!n.canConvertToExactIntegral() || !n.canConvertToLong()) throw new IllegalArgumentException("\"" + field + "\" must be an integer");
    long v = n.asLong();
    if (v < 0 || v > max) throw new IllegalArgumentException("\"" + field + "\" must be in 0.." + max);
    return v;
  }

  public static ArrayNode strings(Collection<?> values) {
    ArrayNode a = JSON.createArrayNode();
    for (Object v : values) a.add(v.toString());
    return a;
  }
}
