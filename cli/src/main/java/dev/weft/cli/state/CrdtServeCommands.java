package dev.weft.cli.state;

import static dev.weft.cli.p2p.ServeContext.JSON;
import static dev.weft.cli.p2p.ServeContext.count;
import static dev.weft.cli.p2p.ServeContext.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeCommand;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.crdt.net.CrdtStateService;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaDigest;
import dev.weft.crdt.run.RunState;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.p2p.api.PeerId;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code crdt.*} commands of {@code weft p2p serve}, for tests and debugging: open a run's
 * replica on the host, write, read, compare digests, force an anti-entropy session. Registered
 * through {@code META-INF/services/dev.weft.cli.p2p.ServeCommand}.
 */
public final class CrdtServeCommands {
  /** Most contributions one {@code crdt.fill} writes. */
  static final long MAX_FILL = 100_000;

  private CrdtServeCommands() {}

  static PeerId peer(JsonNode req, String field) {
    try {
      return PeerId.parse(text(req, field));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("\"" + field + "\" must be a peer id");
    }
  }

  static ObjectNode digest(Replica r) {
    ReplicaDigest d = r.digest();
    ObjectNode o = JSON.createObjectNode().put("run", r.runId()).put("root", d.rootHex()).put("keys", r.entries().size())
        .put("held", r.heldDeltas()).put("writers", d.writers().size());
    o.set("equivocators", ServeContext.strings(r.equivocators().keySet()));
    return o;
  }

  /** Opens a run's replica on this host. */
  public static final class Open implements ServeCommand {
    @Override public String name() {
      return "crdt.open";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.open\",\"run\":ID,\"coordinator\":PEER?,\"dir\":PATH?,\"committee\":[PEER..]?,\"quorum\":N?} replicates run ID's state (RocksDB in dir)";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String run = text(req, "run");
      if (run.isEmpty() || run.length() > 128 || !run.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("\"run\" must be 1..128 of [A-Za-z0-9._-]");
      PeerId coordinator = req.hasNonNull("coordinator") ? peer(req, "coordinator") : ctx.host().peerId();
      Set<PeerId> committee = new HashSet<>();
      if (req.has("committee")) for (JsonNode n : req.get("committee")) committee.add(PeerId.parse(n.asText()));
      int quorum = (int) count(req, "quorum", Math.max(1, committee.size() * 2 / 3 + 1), 10_000);
      Path dir = req.hasNonNull("dir") ? Path.of(text(req, "dir")) : null;
      CrdtStateService s = CrdtRegistry.open(ctx, run, coordinator, committee, quorum, dir);
      return s.call(() -> digest(s.replica()).put("topic", s.topic()));
    }
  }

  /** Writes many contributions: a load generator for tests and benchmarks. */
  public static final class Fill implements ServeCommand {
    @Override public String name() {
      return "crdt.fill";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.fill\",\"count\":N,\"from\":R?,\"publish\":true?} writes our contribution for rounds R..R+N-1 (a load generator)";
    }

    @Override public long timeoutMillis() {
      return 600_000;
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      long n = count(req, "count", 1, MAX_FILL);
      long from = count(req, "from", 1, Long.MAX_VALUE / 2);
      boolean publish = !req.has("publish") || req.get("publish").asBoolean(true);
      CrdtStateService s = CrdtRegistry.of(ctx);
      return s.call(() -> {
        RunState run = new RunState(s.replica());
        for (long i = from; i < from + n; i++) {
          var d = run.contribute(i, Bytes.utf8("contribution-" + i));
          if (publish) s.publish(d);
        }
        return digest(s.replica());
      });
    }
  }

  /** Writes one last-writer-wins register. */
  public static final class Put implements ServeCommand {
    @Override public String name() {
      return "crdt.put";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.put\",\"key\":K,\"value\":TEXT} writes a last-writer-wins register key (if the schema lets us) and publishes it";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String key = text(req, "key");
      Bytes value = Bytes.utf8(text(req, "value"));
      CrdtStateService s = CrdtRegistry.of(ctx);
      return s.call(() -> {
        var d = s.publish(s.replica().put(key, value));
        return JSON.createObjectNode().put("key", key).put("seq", d.seq()).put("id", HexFormat.of().formatHex(d.id()));
      });
    }
  }

  /** Reads one key. */
  public static final class Get implements ServeCommand {
    @Override public String name() {
      return "crdt.get";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.get\",\"key\":K} the key's value";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      String key = text(req, "key");
      CrdtStateService s = CrdtRegistry.of(ctx);
      return s.call(() -> {
        Crdt v = s.replica().get(key);
        if (v == null) throw new IllegalArgumentException("no schema rule for key " + key);
        return ValueText.render(key, v);
      });
    }
  }

  /** The replica's digest summary. */
  public static final class Digest implements ServeCommand {
    @Override public String name() {
      return "crdt.digest";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.digest\"} the state root, key and delta counts, writers, equivocators";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      CrdtStateService s = CrdtRegistry.of(ctx);
      return s.call(() -> digest(s.replica()));
    }
  }

  /** Forces one anti-entropy session with a peer. */
  public static final class Sync implements ServeCommand {
    @Override public String name() {
      return "crdt.sync";
    }

    @Override public String description() {
      return "{\"cmd\":\"crdt.sync\",\"peer\":PEER} one anti-entropy session with a connected peer now; answers the digest after it";
    }

    @Override public long timeoutMillis() {
      return 300_000;
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext ctx, JsonNode req) {
      PeerId p = peer(req, "peer");
      CrdtStateService s = CrdtRegistry.of(ctx);
      return s.call(() -> s.syncWith(p)).thenCompose(f -> f).thenCompose(v -> s.call(() -> {
        long[] t = s.syncTotals();
        return digest(s.replica()).put("sessions", t[0]).put("bytesIn", t[1]).put("bytesOut", t[2]);
      }));
    }
  }
}
