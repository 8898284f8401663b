package dev.weft.p2p.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.memory.LinkConfig;
import dev.weft.p2p.transport.memory.MemoryNetwork;
import dev.weft.p2p.time.SimScheduler;
import dev.weft.p2p.yamux.YamuxConfig;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The transport contract for the real stack (multistream, Noise, Yamux) over the in-memory
 * transport on virtual time: the simulation's scheduler is the Netty event loop, so every byte of
 * the upgrade crosses the simulated link, deterministically.
 */
class MemoryRealStackContractTest extends TransportContract {
  static final long SEED = 2026;
  final SimScheduler sim = new SimScheduler(SEED);
  final MemoryNetwork network = new MemoryNetwork(sim);
  final SchedulerEventLoop loop = new SchedulerEventLoop(sim);

  @Override CompletableFuture<Pair> connect(StreamRouter router, PeerId expectedPeer) throws Exception {
    UpgradedTransport dialer = new UpgradedTransport(network.transport(dialerId), stack(dialerKey), () -> loop, sim::nowNanos);
    UpgradedTransport listener = new UpgradedTransport(network.transport(listenerId), stack(listenerKey), () -> loop, sim::nowNanos);
    cleanup.add(dialer);
    cleanup.add(listener);
    CompletableFuture<Connection> accepted = new CompletableFuture<>();
    Multiaddr bound = await(listener.listen(Multiaddr.parse("/memory/0"), new ConnectionSink() {
      @Override public StreamRouter router() {
        return router;
      }

      @Override public void accepted(Connection connection) {
        accepted.complete(connection);
      }
    }));
    return both(dialer.dial(bound, expectedPeer, router), accepted);
  }

  static UpgradePipeline stack(PrivKey key) {
    SecureRandom r = new SecureRandom();
    return UpgradePipeline.noiseYamux(key, X25519KeyPair.generate(r), r, YamuxConfig.DEFAULT, 10_000, 10_000, 20_000, true);
  }

  @Override <T> T await(CompletableFuture<T> f) throws Exception {
    long deadline = sim.nowMillis() + 60_000;
    while (!f.isDone() && sim.nowMillis() < deadline) sim.runFor(1);
    if (!f.isDone()) throw new TimeoutException("not done after 60 s of virtual time (seed " + SEED + ")");
    return f.get(0, TimeUnit.SECONDS);
  }

  /** The upgrade really crosses the link: with 50 ms of latency, it takes the round trips it should. */
  @Test void theUpgradeCostsRoundTripsOfTheLink() throws Exception {
    network.setDefaultLink(LinkConfig.latency(50));
    long start = sim.nowMillis();
    Pair p = await(connect(echoRouter(), listenerId));
    long took = sim.nowMillis() - start;
    assertThat(p.dialer().remotePeer()).isEqualTo(listenerId);
    // carrier connect (1 RTT) + carrier stream + multistream + Noise XX (1.5 RTT) with Yamux inlined
    assertThat(took).isGreaterThanOrEqualTo(200).isLessThan(1_000);
  }
}
