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

  /**
   * {@code count} distinct, valid multiaddrs of exactly {@code bytes} bytes each
   * ({@code /dns/<name>/tcp/4001}, 1 KB being the codec's limit), distinguished by {@code salt}.
   */
  static List<byte[]> fatAddrs(int count, int bytes, int salt) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int nameLen = bytes - 3 - 1 - 2; // tcp component, dns code, 2-byte length varint
      if (nameLen < 128) nameLen = bytes - 3 - 1 - 1;
      StringBuilder name = new StringBuilder(salt + "-" + i + "-");
      while (name.length() < nameLen) name.append('a');
      byte[] n = name.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] lenVarint = dev.weft.p2p.multiformats.Varint.encode(n.length);
      byte[] a = new byte[1 + lenVarint.length + n.length + 3];
      a[0] = 53;
      System.arraycopy(lenVarint, 0, a, 1, lenVarint.length);
      System.arraycopy(n, 0, a, 1 + lenVarint.length, n.length);
      a[a.length - 3] = 6;
      a[a.length - 2] = 0x0F;
      a[a.length - 1] = (byte) 0xA1;
      if (!dev.weft.dht.codec.MultiaddrBytes.isValid(a) || a.length != bytes) throw new IllegalStateException("bad fat address of " + a.length);
      out.add(a);
    }
    return out;
  }
}
