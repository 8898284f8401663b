package dev.weft.p2p.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.resource.ResourceLimits;
import dev.weft.p2p.time.SimScheduler;
import dev.weft.p2p.transport.memory.LinkConfig;
import dev.weft.p2p.transport.memory.MemoryNetwork;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real stack in a simulation ({@link UpgradedTransport#simulated}) is accounted like TCP: the
 * host hands the transport its resource manager, inbound streams get the per-protocol share, and
 * bytes the muxer buffers for a handler that does not read are charged to the peer. Virtual time.
 */
class SimulatedStackLimitsTest {
  static final String HOLD = "/weft-test/hold/1.0.0";
  static final String SINK = "/weft-test/sink/1.0.0";
  final SimScheduler sim = new SimScheduler(77);
  final MemoryNetwork network = new MemoryNetwork(sim);
  final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach void close() {
    for (BasicHost h : hosts) h.close();
    sim.runFor(1_000);
  }

  private BasicHost host(int seed, ResourceLimits limits) {
    PrivKey key = Ed25519.fromSeedNumber(seed);
    BasicHost h = BasicHost.builder().privateKey(key).scheduler(sim).transport(UpgradedTransport.simulated(network, key))
        .resourceLimits(limits).listen("/memory/0").buildWithServices().host();
    hosts.add(h);
    CompletableFuture<Void> started = h.start();
    sim.runFor(1);
    started.join();
    return h;
  }

  private void runUntil(BooleanSupplier done) {
    long deadline = sim.nowMillis() + 30_000;
    while (!done.getAsBoolean() && sim.nowMillis() < deadline) sim.runFor(1);
  }

  /** Server holding HOLD streams (one byte answered) and never reading SINK ones; client knows its address. */
  private BasicHost[] pair(ResourceLimits serverLimits) {
    network.setDefaultLink(LinkConfig.latency(5));
    BasicHost server = host(600, serverLimits);
    server.setStreamHandler(HOLD, s -> s.write(Unpooled.wrappedBuffer(new byte[] {1})));
    server.setStreamHandler(SINK, s -> {});
    BasicHost client = host(601, ResourceLimits.DEFAULT);
    client.peerStore().addAddresses(server.peerId(), server.listenAddresses(), 60_000);
    return new BasicHost[] {server, client};
  }

  private boolean holdStream(BasicHost client, BasicHost server) {
    CompletableFuture<Stream> open = client.newStream(server.peerId(), List.of(HOLD));
    runUntil(open::isDone);
    CompletableFuture<Boolean> answered = new CompletableFuture<>();
    open.join().setHandler(new StreamHandler() {
      @Override public void onData(Stream stream, ByteBuf data) {
        answered.complete(true);
      }

      @Override public void onClosed(Stream stream, Throwable cause) {
        answered.complete(false);
      }
    });
    runUntil(answered::isDone);
    return answered.join();
  }

  @Test void thePerProtocolStreamLimitHoldsOverTheSimulatedStack() {
    BasicHost[] p = pair(ResourceLimits.DEFAULT.withStreamLimits(64, 2, 1024));
    List<Boolean> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) admitted.add(holdStream(p[1], p[0]));
    assertThat(admitted).containsExactly(true, true, false);
  }

  @Test void withAHigherLimitAllThreeAreAdmitted() {
    BasicHost[] p = pair(ResourceLimits.DEFAULT.withStreamLimits(64, 100, 1024));
    for (int i = 0; i < 3; i++) assertThat(holdStream(p[1], p[0])).isTrue();
  }

  @Test void bytesTheMuxerBuffersAreChargedToThePeer() {
    BasicHost[] p = pair(ResourceLimits.DEFAULT.withBufferLimits(1024 * 1024, 64L << 20, 256L << 20));
    BasicHost server = p[0];
    BasicHost client = p[1];
    for (int i = 0; i < 6; i++) {
      CompletableFuture<Stream> open = client.newStream(server.peerId(), List.of(SINK));
      runUntil(open::isDone);
      open.join().write(Unpooled.wrappedBuffer(new byte[256 * 1024]));
    }
    sim.runFor(2_000);
    long held = server.resourceManager().bufferedBy(client.peerId());
    assertThat(held).as("charged, and at most the 1 MiB share of six 256 KiB windows").isGreaterThan(512 * 1024).isLessThanOrEqualTo(1024 * 1024);
    assertThat(server.resourceManager().snapshot().refusedBufferBytes()).isPositive();
  }
}
