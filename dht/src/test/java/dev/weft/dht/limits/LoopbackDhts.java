package dev.weft.dht.limits;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtDecodeException;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.host.InMemoryPeerStore;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import dev.weft.p2p.transport.tcp.TcpTransport;
import dev.weft.p2p.transport.tcp.TcpTransportConfig;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Real libp2p hosts (TCP + Noise + Yamux on 127.0.0.1) for limit tests: a victim running the DHT,
 * and bare hosts that write raw kad-dht frames at it, one request per stream as js and go do.
 */
final class LoopbackDhts implements AutoCloseable {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  BasicHost host(long seed) {
    HostBuilder.Built b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed))
        .transport(k -> new TcpTransport(k, TcpTransportConfig.DEFAULT.withIoThreads(1))).listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    b.host().start().join();
    closeables.add(b.host());
    return b.host();
  }

  KadDht dht(BasicHost host, DhtConfig config) {
    KadDht d = KadDht.install(host, config, new MemoryDhtStore(), ValidatorRegistry.standard(TestEd25519::decode), null, true);
    closeables.add(0, d);
    return d;
  }

  /** Lets {@code from} dial {@code to}. */
  static void introduce(BasicHost from, BasicHost to) {
    from.peerStore().addAddresses(to.peerId(), to.listenAddresses(), InMemoryPeerStore.PERMANENT_ADDRESS_TTL_MILLIS);
  }

  /**
   * Sends {@code msg} on a fresh stream and reads the answer; empty when the stream is reset or
   * closed without one (the victim refused to answer), or, without {@code expectReply}, once written.
   */
  static Optional<DhtMessage> request(BasicHost from, BasicHost to, DhtMessage msg, boolean expectReply) throws Exception {
    Stream s = from.newStream(to.peerId(), List.of(DhtConfig.WEFT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    LengthPrefixedReader reader = expectReply ? new LengthPrefixedReader(DhtCodec.MAX_MESSAGE_BYTES, 10_000, from.scheduler(), s) : null;
    if (reader != null) s.setHandler(reader);
    else s.setHandler((st, data) -> { });
    byte[] body = DhtCodec.encode(msg);
    try {
      s.write(Unpooled.wrappedBuffer(Varint.encode(body.length), body)).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return Optional.empty();
    }
    s.closeWrite();
    if (reader == null) {
      // the victim closes its side once it has handled the request: one request in flight at a time
      try {
        s.closeFuture().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // reset: refused
      }
      return Optional.empty();
    }
    try {
      return Optional.of(DhtCodec.decode(reader.result().get(15, TimeUnit.SECONDS)));
    } catch (java.util.concurrent.ExecutionException e) {
      return Optional.empty();
    } catch (DhtDecodeException e) {
      throw new AssertionError("the victim's answer did not decode: " + e.getMessage(), e);
    }
  }

  /** Runs {@code read} on the DHT's scheduler (its state is confined there) and returns the value. */
  static <T> T onDht(BasicHost host, Supplier<T> read) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    host.scheduler().execute(() -> f.complete(read.get()));
    return f.get(10, TimeUnit.SECONDS);
  }

  @Override public void close() throws Exception {
    for (AutoCloseable c : closeables) c.close();
  }
}
