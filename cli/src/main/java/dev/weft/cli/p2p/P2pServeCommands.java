package dev.weft.cli.p2p;

import static dev.weft.cli.p2p.ServeContext.JSON;
import static dev.weft.cli.p2p.ServeContext.count;
import static dev.weft.cli.p2p.ServeContext.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.protocol.identify.IdentifyInfo;
import dev.weft.p2p.protocol.ping.PingProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The p2p core's serve commands: dial, ping, identify, perf, peers, disconnect. */
final class P2pServeCommands {
  /** Largest perf transfer one command may ask for each way. */
  static final long MAX_PERF_BYTES = 64L << 30;

  private P2pServeCommands() {}

  static ObjectNode connectionJson(Connection c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("peer", c.remotePeer().toBase58());
    o.put("addr", c.remoteAddress().toString());
    o.put("direction", c.isInitiator() ? "outbound" : "inbound");
    return o;
  }

  static final class Dial implements ServeCommand {
    @Override public String name() {
      return "dial";
    }

    @Override public String description() {
      return "{\"cmd\":\"dial\",\"addr\":MULTIADDR} connects (or reuses the connection)";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      return ctx.connection(req).thenApply(P2pServeCommands::connectionJson);
    }
  }

  static final class Ping implements ServeCommand {
    @Override public String name() {
      return "ping";
    }

    @Override public String description() {
      return "{\"cmd\":\"ping\",\"addr\":MULTIADDR,\"count\":N} round trips in ms";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      int n = (int) count(req, "count", 1, PingProtocol.MAX_COUNT);
      if (n < 1) throw new IllegalArgumentException("\"count\" must be at least 1");
      return ctx.connection(req).thenCompose(c -> ctx.ping().ping(c, n).thenApply(rtts -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("peer", c.remotePeer().toBase58());
        ArrayNode a = o.putArray("rtts");
        rtts.forEach(a::add);
        return o;
      }));
    }
  }

  static final class Identify implements ServeCommand {
    @Override public String name() {
      return "identify";
    }

    @Override public String description() {
      return "{\"cmd\":\"identify\",\"addr\":MULTIADDR} the peer's protocols, listen addresses, agent, our observed address";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      return ctx.connection(req).thenCompose(c -> ctx.identify().identify(c).thenApply(info -> identifyJson(c.remotePeer(), info)));
    }
  }

  static ObjectNode identifyJson(PeerId peer, IdentifyInfo info) {
    ObjectNode o = JSON.createObjectNode();
    o.put("peer", peer.toBase58());
    o.put("protocolVersion", info.protocolVersion());
    o.put("agentVersion", info.agentVersion());
    o.set("protocols", strings(info.protocols()));
    o.set("listenAddrs", strings(info.listenAddrs()));
    o.put("observedAddr", info.observedAddr() == null ? null : info.observedAddr().toString());
    return o;
  }

  static final class Perf implements ServeCommand {
    @Override public String name() {
      return "perf";
    }

    @Override public String description() {
      return "{\"cmd\":\"perf\",\"addr\":MULTIADDR,\"upload\":BYTES,\"download\":BYTES} throughput both ways (/perf/1.0.0)";
    }

    @Override public long timeoutMillis() {
      return 600_000;
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      long up = count(req, "upload", 0, MAX_PERF_BYTES);
      long down = count(req, "download", 0, MAX_PERF_BYTES);
      return ctx.connection(req).thenCompose(c -> ctx.perf().run(c, up, down).thenApply(r -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("peer", c.remotePeer().toBase58());
        o.put("upload", r.uploadBytes());
        o.put("download", r.downloadBytes());
        o.put("uploadSeconds", r.uploadNanos() / 1e9);
        o.put("downloadSeconds", r.downloadNanos() / 1e9);
        o.put("uploadBytesPerSecond", Math.round(r.uploadBytesPerSecond()));
        o.put("downloadBytesPerSecond", Math.round(r.downloadBytesPerSecond()));
        return o;
      }));
    }
  }

  static final class Peers implements ServeCommand {
    @Override public String name() {
      return "peers";
    }

    @Override public String description() {
      return "{\"cmd\":\"peers\"} connected peers with their addresses and known protocols";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      ObjectNode o = JSON.createObjectNode();
      ArrayNode a = o.putArray("peers");
      List<Connection> conns = new ArrayList<>(ctx.host().connections());
      for (Connection c : conns) {
        ObjectNode p = connectionJson(c);
        p.set("protocols", strings(new java.util.TreeSet<>(ctx.host().peerStore().protocols(c.remotePeer()))));
        a.add(p);
      }
      return CompletableFuture.completedFuture(o);
    }
  }

  static final class Disconnect implements ServeCommand {
    @Override public String name() {
      return "disconnect";
    }

    @Override public String description() {
      return "{\"cmd\":\"disconnect\",\"peer\":PEER_ID} closes every connection to the peer";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      PeerId peer;
      try {
        peer = PeerId.parse(ServeContext.text(req, "peer"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad peer: " + e.getMessage());
      }
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Connection c : ctx.host().connections(peer)) closing.add(c.close());
      return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).thenApply(v -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("peer", peer.toBase58());
        o.put("closed", closing.size());
        return o;
      });
    }
  }
}
