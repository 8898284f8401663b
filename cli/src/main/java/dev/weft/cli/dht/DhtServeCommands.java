package dev.weft.cli.dht;

import static dev.weft.cli.p2p.ServeContext.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeCommand;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.QueryResult;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.host.KadDht;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DHT commands of {@code weft p2p serve}. Every answer carries {@code hops} (referral depth
 * of the peer that answered; 0 when answered locally), {@code messages} (requests sent) and
 * {@code ms}. Keys are given as text ({@code "key"}) or base64 ({@code "keyB64"}, for binary keys
 * such as {@code /pk/<peer id bytes>}); values are base64.
 */
public final class DhtServeCommands {
  /** Most providers a findProviders asks for. */
  static final int MAX_PROVIDER_COUNT = 100;

  private DhtServeCommands() {}

  static KadDht dht(ServeContext c) {
    return DhtRegistry.of(c.host());
  }

  static byte[] key(JsonNode req) {
    if (req.hasNonNull("keyB64")) {
      try {
        return Base64.getDecoder().decode(ServeContext.text(req, "keyB64"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"keyB64\" is not base64");
      }
    }
    if (req.hasNonNull("key")) return ServeContext.text(req, "key").getBytes(StandardCharsets.UTF_8);
    throw new IllegalArgumentException("needs \"key\" (text) or \"keyB64\" (base64)");
  }

  static byte[] multihash(JsonNode req) {
    try {
      return Cid.parse(ServeContext.text(req, "cid")).multihash().bytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad cid: " + e.getMessage());
    }
  }

  static ObjectNode stats(QueryResult r) {
    return JSON.createObjectNode().put("hops", r.hops()).put("messages", r.messages()).put("ms", r.millis());
  }

  static ArrayNode peers(List<PeerInfo> ps) {
    ArrayNode a = JSON.createArrayNode();
    for (PeerInfo p : ps) a.add(peer(p));
    return a;
  }

  static ObjectNode peer(PeerInfo p) {
    ObjectNode o = JSON.createObjectNode().put("peer", p.id().toBase58());
    ArrayNode addrs = o.putArray("addrs");
    for (byte[] a : p.addrs()) {
      try {
        addrs.add(Multiaddr.fromBytes(a).toString());
      } catch (IllegalArgumentException e) {
        // the codec validated it; skip anything the text form cannot show
      }
    }
    return o;
  }

  /** {@code {"cmd":"dht.bootstrap","addr":MA?}}: joins through addr (or --bootstrap peers). */
  public static final class Bootstrap implements ServeCommand {
    @Override public String name() {
      return "dht.bootstrap";
    }

    @Override public String description() {
      return "join the DHT: {\"addr\":MA-with-/p2p/} or the --bootstrap peers -> routing table size, closest peers";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      KadDht d = dht(c);
      List<Multiaddr> addrs;
      if (req.hasNonNull("addr")) {
        try {
          addrs = List.of(Multiaddr.parse(ServeContext.text(req, "addr")));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("bad addr: " + e.getMessage());
        }
      } else {
        addrs = List.of();
      }
      return d.bootstrap(addrs).thenApply(r -> stats(r).put("routingTable", d.node().routingTable().size()).set("closest", peers(r.closest())));
    }
  }

  /** {@code {"cmd":"dht.put","key":K,"value":B64}}. */
  public static final class Put implements ServeCommand {
    @Override public String name() {
      return "dht.put";
    }

    @Override public String description() {
      return "store a value: {\"key\"|\"keyB64\",\"value\":B64} -> stored (peers that accepted it)";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      byte[] key = key(req);
      byte[] value;
      try {
        value = Base64.getDecoder().decode(ServeContext.text(req, "value"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"value\" must be base64: " + e.getMessage());
      }
      if (value.length > DhtCodec.MAX_VALUE_BYTES) throw new IllegalArgumentException("value over " + DhtCodec.MAX_VALUE_BYTES + " bytes");
      return dht(c).node().putValue(key, value).thenApply(r -> stats(r).put("stored", r.stored()));
    }
  }

  /** {@code {"cmd":"dht.get","key":K,"disjoint":bool?}}. */
  public static final class Get implements ServeCommand {
    @Override public String name() {
      return "dht.get";
    }

    @Override public String description() {
      return "fetch the best valid value: {\"key\"|\"keyB64\",\"disjoint\":bool} -> value (base64 or null)";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      return dht(c).node().getValue(key(req), req.path("disjoint").asBoolean(false)).thenApply(r -> {
        ObjectNode o = stats(r);
        if (r.value().isPresent()) o.put("value", Base64.getEncoder().encodeToString(r.value().get()));
        else o.putNull("value");
        return o;
      });
    }
  }

  /** {@code {"cmd":"dht.provide","cid":CID}}. */
  public static final class Provide implements ServeCommand {
    @Override public String name() {
      return "dht.provide";
    }

    @Override public String description() {
      return "announce us as a provider: {\"cid\":CID} -> stored (peers that were told)";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      return dht(c).node().provide(multihash(req)).thenApply(r -> stats(r).put("stored", r.stored()));
    }
  }

  /** {@code {"cmd":"dht.findProviders","cid":CID,"count":N?}}. */
  public static final class FindProviders implements ServeCommand {
    @Override public String name() {
      return "dht.findProviders";
    }

    @Override public String description() {
      return "find providers: {\"cid\":CID,\"count\":N,\"disjoint\":bool} -> providers [{peer,addrs}]";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      int count = (int) ServeContext.count(req, "count", 20, MAX_PROVIDER_COUNT);
      if (count == 0) throw new IllegalArgumentException("\"count\" must be at least 1");
      return dht(c).node().findProviders(multihash(req), count, req.path("disjoint").asBoolean(false))
          .thenApply(r -> stats(r).set("providers", peers(r.providers())));
    }
  }

  /** {@code {"cmd":"dht.findPeer","peer":ID}}. */
  public static final class FindPeer implements ServeCommand {
    @Override public String name() {
      return "dht.findPeer";
    }

    @Override public String description() {
      return "find a peer's addresses: {\"peer\":ID} -> found, addrs";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      PeerId id;
      try {
        id = PeerId.parse(ServeContext.text(req, "peer"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad peer: " + e.getMessage());
      }
      return dht(c).node().findPeer(id).thenApply(r -> {
        ObjectNode o = stats(r).put("found", r.peer().isPresent());
        r.peer().ifPresent(p -> o.setAll(peer(p)));
        return o;
      });
    }
  }

  /** {@code {"cmd":"dht.closestPeers","key":K}}. */
  public static final class ClosestPeers implements ServeCommand {
    @Override public String name() {
      return "dht.closestPeers";
    }

    @Override public String description() {
      return "the k closest peers to a key: {\"key\"|\"keyB64\"} -> peers [{peer,addrs}]";
    }

    @Override public CompletableFuture<ObjectNode> execute(ServeContext c, JsonNode req) {
      return dht(c).node().findClosestPeers(key(req)).thenApply(r -> stats(r).set("peers", peers(r.closest())));
    }
  }
}
