package dev.weft.dht.sim;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.KadNetwork;
import dev.weft.dht.KadNode;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.WallClock;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtDecodeException;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A deterministic message-passing network of {@link KadNode}s on one {@link SimScheduler}: every
 * message goes through the real codec (encode, then the bounded decode), takes a seeded random
 * latency, and may be lost. Nodes can go offline abruptly (they stop answering: requests to them
 * time out) or be replaced by a {@link Behaviour#responder misbehaving responder}.
 */
public final class SimKadNetwork {
  /** Sim wall clock origin: 2026-01-01, so records carry plausible epoch times. */
  public static final long EPOCH_ORIGIN = 1_767_225_600_000L;

  /** How a node answers requests. */
  public interface Behaviour {
    /** The reply bytes to {@code request} (null: no reply), or the honest answer via {@code honest}. */
    byte[] responder(PeerInfo from, DhtMessage request, Function<DhtMessage, Optional<DhtMessage>> honest);
  }

  /** One simulated participant. */
  public final class SimNode {
    public final PrivKey key;
    public final KadNode node;
    private final DhtStore store;
    boolean online = true;
    Behaviour behaviour;

    SimNode(PrivKey key, KadNode node, DhtStore store) {
      this.key = key;
      this.node = node;
      this.store = store;
    }

    public boolean online() {
      return online;
    }

    /** Leaves abruptly: no goodbye, requests to it time out from now on. */
    public void kill() {
      online = false;
      node.close();
    }

    public void setBehaviour(Behaviour b) {
      behaviour = b;
    }

    public boolean honest() {
      return behaviour == null;
    }

    public DhtStore store() {
      return store;
    }
  }

  private final SimScheduler scheduler;
  private final Random random;
  private final long minLatencyMillis;
  private final long maxLatencyMillis;
  private final double lossRate;
  private final Map<PeerId, SimNode> nodes = new LinkedHashMap<>();
  private long delivered;
  private long lost;

  public SimKadNetwork(SimScheduler scheduler, long minLatencyMillis, long maxLatencyMillis, double lossRate) {
    this.scheduler = scheduler;
    this.random = scheduler.random();
    this.minLatencyMillis = minLatencyMillis;
    this.maxLatencyMillis = maxLatencyMillis;
    this.lossRate = lossRate;
  }

  public WallClock wallClock() {
    return () -> EPOCH_ORIGIN + scheduler.nowMillis();
  }

  /** Adds a node with a fresh key, its own address {@code /ip4/10.a.b.c/tcp/4001}, and an in-memory store. */
  public SimNode addNode(DhtConfig config, ValidatorRegistry validators) {
    return addNode(TestEd25519.generate(random), config, validators, new MemoryDhtStore());
  }

  public SimNode addNode(PrivKey key, DhtConfig config, ValidatorRegistry validators, DhtStore store) {
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    int n = nodes.size() + 1;
    byte[] addr = {4, 10, (byte) (n >> 16), (byte) (n >> 8), (byte) n, 6, 0x0F, (byte) 0xA1};
    PeerInfo self = PeerInfo.of(id, List.of(addr));
    KadNode node = new KadNode(self, config, scheduler, wallClock(), new Random(random.nextLong()), endpoint(id), store, validators);
    SimNode sn = new SimNode(key, node, store);
    nodes.put(id, sn);
    return sn;
  }

  /** Replaces {@code old} (already closed) by a fresh KadNode with the same key over {@code store}. */
  public SimNode restart(SimNode old, DhtConfig config, ValidatorRegistry validators, DhtStore store) {
    PeerId id = old.node.peerId();
    KadNode node = new KadNode(old.node.self(), config, scheduler, wallClock(), new Random(random.nextLong()), endpoint(id), store, validators);
    SimNode sn = new SimNode(old.key, node, store);
    nodes.put(id, sn);
    return sn;
  }

  public List<SimNode> nodes() {
    return new ArrayList<>(nodes.values());
  }

  public SimNode node(PeerId id) {
    return nodes.get(id);
  }

  public long delivered() {
    return delivered;
  }

  public long lost() {
    return lost;
  }

  private long latency() {
    return minLatencyMillis + (long) (random.nextDouble() * (maxLatencyMillis - minLatencyMillis));
  }

  private boolean dropped() {
    if (random.nextDouble() < lossRate) {
      lost++;
      return true;
    }
    return false;
  }

  private KadNetwork endpoint(PeerId owner) {
    return new KadNetwork() {
      @Override public void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult) {
        byte[] wire = DhtCodec.encode(request);
        FrameCapture.record("request", request.type(), wire);
        SimNode from = nodes.get(owner);
        if (!expectReply) onResult.accept(new Result.Sent());
        if (dropped()) return;
        scheduler.schedule(latency(), () -> {
          SimNode to = nodes.get(peer.id());
          if (to == null || !to.online || !from.online) return;
          delivered++;
          if (!to.node.isServer()) {
            if (expectReply) reply(onResult, new Result.Failed("protocol not supported"));
            return;
          }
          DhtMessage req;
          try {
            req = DhtCodec.decode(wire);
          } catch (DhtDecodeException e) {
            to.node.onMalformedRequest(owner, e.getMessage());
            return;
          }
          Function<DhtMessage, Optional<DhtMessage>> honest = r -> to.node.handleRequest(from.node.self(), from.node.isServer(), r);
          byte[] out;
          if (to.behaviour == null) {
            out = honest.apply(req).map(DhtCodec::encode).orElse(null);
          } else {
            out = to.behaviour.responder(from.node.self(), req, honest);
          }
          if (!expectReply) return;
          if (out == null) {
            reply(onResult, new Result.Failed("stream reset"));
            return;
          }
          try {
            DhtMessage answer = DhtCodec.decode(out);
            FrameCapture.record("answer", answer.type(), out);
            reply(onResult, new Result.Reply(answer));
          } catch (DhtDecodeException e) {
            reply(onResult, new Result.Malformed(e.getMessage()));
          }
        });
      }

      private void reply(Consumer<Result> onResult, Result r) {
        if (dropped()) return;
        scheduler.schedule(latency(), () -> {
          if (nodes.get(owner).online) onResult.accept(r);
        });
      }

      @Override public void ping(PeerInfo peer, Consumer<Boolean> onResult) {
        scheduler.schedule(2 * latency(), () -> {
          SimNode to = nodes.get(peer.id());
          if (to != null && to.online) onResult.accept(true);
        });
      }
    };
  }
}
