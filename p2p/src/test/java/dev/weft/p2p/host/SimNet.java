package dev.weft.p2p.host;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.time.SimScheduler;
import dev.weft.p2p.transport.memory.MemoryNetwork;
import dev.weft.p2p.upgrade.UpgradedTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** Test fixture: hosts on one in-memory network, on virtual time. */
public final class SimNet implements AutoCloseable {
  public final SimScheduler sim;
  public final MemoryNetwork network;
  public final List<HostBuilder.Built> hosts = new ArrayList<>();
  /** Whether hosts run the real stack (multistream, Noise, Yamux) over the memory links. */
  public final boolean realStack;

  public SimNet(long seed) {
    this(seed, false);
  }

  /** @param realStack run multistream, Noise and Yamux over the links ({@link UpgradedTransport}) */
  public SimNet(long seed, boolean realStack) {
    this.sim = new SimScheduler(seed);
    this.network = new MemoryNetwork(sim);
    this.realStack = realStack;
  }

  public HostBuilder.Built add(long keySeed) {
    return add(keySeed, b -> b);
  }

  public HostBuilder.Built add(long keySeed, UnaryOperator<HostBuilder> customise) {
    PrivKey key = Ed25519.fromSeedNumber(keySeed);
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    HostBuilder b = BasicHost.builder().privateKey(key).scheduler(sim)
        .transport(realStack ? UpgradedTransport.simulated(network, key) : network.transport(id)).listen("/memory/0");
    HostBuilder.Built built = customise.apply(b).buildWithServices();
    CompletableFuture<Void> started = built.host().start();
    sim.runFor(1);
    started.join();
    hosts.add(built);
    return built;
  }

  /** Runs the simulation until {@code f} completes or {@code maxMillis} of virtual time pass. */
  public <T> T await(CompletableFuture<T> f, long maxMillis) {
    long deadline = sim.nowMillis() + maxMillis;
    while (!f.isDone() && sim.nowMillis() < deadline) sim.runFor(1);
    if (!f.isDone()) throw new AssertionError("not done after " + maxMillis + " ms of virtual time (seed " + sim.seed() + ")");
    return f.join();
  }

  @Override public void close() {
    for (HostBuilder.Built h : hosts) h.host().close();
    sim.runFor(1000);
  }
}
