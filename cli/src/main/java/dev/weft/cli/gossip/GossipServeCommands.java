package dev.weft.cli.gossip;

import static dev.weft.cli.p2p.ServeContext.JSON;
import static dev.weft.cli.p2p.ServeContext.strings;
import static dev.weft.cli.p2p.ServeContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeCommand;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.p2p.pubsub.gossipsub.GossipsubService;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Gossipsub commands of {@code weft p2p serve}: subscribe, unsubscribe, publish, mesh. Registered
 * through {@code META-INF/services/dev.weft.cli.p2p.ServeCommand}.
 */
public final class GossipServeCommands {
  /** Longest topic accepted from the command line (the wire limit is the same). */
  static final int MAX_TOPIC_CHARS = 1024;

  private GossipServeCommands() {}

  static String topic(JsonNode req) {
    String t = text(req, "topic");
    if (t.isEmpty() || t.length() > MAX_TOPIC_CHARS) throw new IllegalArgumentException("\"topic\" must have 1.." + MAX_TOPIC_CHARS + " characters");
    return t;
  }

  public static final class Subscribe implements ServeCommand {
    @Override public String name() {
      return "subscribe";
    }

    @Override public String description() {
      return "{\"cmd\":\"subscribe\",\"topic\":T} joins a gossipsub topic; messages arrive as {\"event\":\"message\",...}";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String t = topic(req);
      return GossipRegistry.of(ctx).subscribe(t).thenApply(v -> JSON.createObjectNode().put("topic", t));
    }
  }

  public static final class Unsubscribe implements ServeCommand {
    @Override public String name() {
      return "unsubscribe";
    }

    @Override public String description() {
      return "{\"cmd\":\"unsubscribe\",\"topic\":T} leaves a gossipsub topic";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String t = topic(req);
      return GossipRegistry.of(ctx).unsubscribe(t).thenApply(v -> JSON.createObjectNode().put("topic", t));
    }
  }

  public static final class Publish implements ServeCommand {
    @Override public String name() {
      return "publish";
    }

    @Override public String description() {
      return "{\"cmd\":\"publish\",\"topic\":T,\"data\":BASE64} publishes a signed message; answers its id, seqno and how many peers got it";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String t = topic(req);
      byte[] data;
      try {
        data = Base64.getDecoder().decode(text(req, "data"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"data\" must be base64");
      }
      return GossipRegistry.of(ctx).publish(t, data).thenApply(p -> JSON.createObjectNode()
          .put("topic", t)
          .put("msgId", HexFormat.of().formatHex(p.id().bytes()))
          .put("seqno", GossipRegistry.seqnoText(p.message().seqno()))
          .put("peers", p.peers()));
    }
  }

  public static final class Mesh implements ServeCommand {
    @Override public String name() {
      return "mesh";
    }

    @Override public String description() {
      return "{\"cmd\":\"mesh\",\"topic\":T} our gossipsub mesh and the peers known in the topic";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String t = topic(req);
      GossipsubService s = GossipRegistry.of(ctx);
      return s.mesh(t).thenCombine(s.topicPeers(t), (mesh, peers) -> {
        ObjectNode o = JSON.createObjectNode().put("topic", t);
        o.set("mesh", strings(mesh.stream().map(p -> p.toBase58()).sorted().toList()));
        o.set("peers", strings(peers.stream().map(p -> p.toBase58()).sorted().toList()));
        return o;
      });
    }
  }
}
