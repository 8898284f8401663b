package dev.weft.node.blocks;

import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.InMemoryPeerStore;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real libp2p hosts (TCP + Noise + Yamux on 127.0.0.1) with block services, closed in reverse order. */
final class LoopbackBlocks implements AutoCloseable {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  BasicHost host(long seed) {
    BasicHost h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed))
        .transport(k -> new TcpTransport(k, TcpTransportConfig.DEFAULT.withIoThreads(1))).listen("/ip4/127.0.0.1/tcp/0").build();
    h.start().join();
    closeables.add(0, h);
    return h;
  }

  BlobStore store(Path dir, BlocksConfig config) {
    BlobStore s = BlobStore.open(dir, config);
    closeables.add(0, s);
    return s;
  }

  BlocksService service(BasicHost host, BlocksConfig config, BlobStore store, ChunkSource source) {
    BlocksService s = BlocksService.install(host, config, store, source);
    closeables.add(0, s);
    return s;
  }

  /** Lets {@code from} dial {@code to}. */
  static void introduce(BasicHost from, BasicHost to) {
    from.peerStore().addAddresses(to.peerId(), to.listenAddresses(), InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
  }

  @Override public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // already closed by the test
      }
    }
  }
}
