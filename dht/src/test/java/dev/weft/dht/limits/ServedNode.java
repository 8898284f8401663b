package dev.weft.dht.limits;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.KadNetwork;
import dev.weft.dht.KadNode;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.TestPeers;
import dev.weft.dht.WallClock;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.sim.SimKadNetwork;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.p2p.time.SimScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A DHT server node on virtual time whose outbound network goes nowhere, for tests that send it
 * requests through its real request handler ({@link KadNode#handleRequest}), as the host adapter
 * does after decoding a frame.
 */
final class ServedNode {
  static final ValidatorRegistry VALIDATORS = ValidatorRegistry.standard(TestEd25519::decode);

  final SimScheduler scheduler = new SimScheduler(7);
  final WallClock wall = () -> SimKadNetwork.EPOCH_ORIGIN + scheduler.nowMillis();
  final KadNode node;

  ServedNode(DhtConfig config, DhtStore store) {
    KadNetwork silent = new KadNetwork() {
      @Override public void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult) {}

      @Override public void ping(PeerInfo peer, Consumer<Boolean> onResult) {}
    };
    node = new KadNode(TestPeers.peer(new Random(3)), config, scheduler, wall, new Random(4), silent, store, VALIDATORS);
  }

  Optional<DhtMessage> request(PeerInfo from, DhtMessage req) {
    return node.handleRequest(from, false, req);
  }

  /** The same, from a peer that advertises the DHT protocol (it enters the routing table: verified by contact). */
  Optional<DhtMessage> requestFromServer(PeerInfo from, DhtMessage req) {
    return node.handleRequest(from, true, req);
  }

  static DhtStore open(String kind, Path dir) {
    return kind.equals("rocks") ? RocksDhtStore.open(dir) : new MemoryDhtStore();
  }

  static List<byte[]> fatAddrs(int count, int bytes, int salt) {
    return FatAddrs.of(count, bytes, salt);
  }

}
