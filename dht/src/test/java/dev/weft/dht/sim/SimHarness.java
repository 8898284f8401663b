package dev.weft.dht.sim;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.QueryResult;
import dev.weft.dht.TestEd25519;
import dev.weft.dht.lookup.LookupConfig;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.p2p.time.SimScheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Builds simulated DHTs and runs operations on them to completion on virtual time. */
public final class SimHarness {
  /** Request timeout in the simulation: latencies are 10-100 ms, so 1 s means "lost". */
  public static final long SIM_REQUEST_TIMEOUT_MILLIS = 1_000;
  public static final long SIM_REFRESH_MILLIS = 10 * DhtConfig.MINUTE;
  /**
   * Deepest bucket refreshed with a random key. 500 nodes fill about 9 buckets; deeper ones are
   * covered by the self-lookup, and each level doubles the hashing needed to find a key.
   */
  public static final int SIM_MAX_REFRESH_CPL = 10;

  public final SimScheduler scheduler;
  public final SimKadNetwork net;
  public final ValidatorRegistry validators = ValidatorRegistry.standard(TestEd25519::decode);

  public SimHarness(long seed, double lossRate) {
    this.scheduler = new SimScheduler(seed);
    this.net = new SimKadNetwork(scheduler, 10, 100, lossRate);
  }

  public static DhtConfig simConfig() {
    return DhtConfig.defaults()
        .withLookup(new LookupConfig(LookupConfig.DEFAULT_K, LookupConfig.DEFAULT_ALPHA, SIM_REQUEST_TIMEOUT_MILLIS, 1))
        .withRefreshInterval(SIM_REFRESH_MILLIS)
        .withMaxRefreshCpl(SIM_MAX_REFRESH_CPL);
  }

  /** {@code n} server nodes joining one after another through the first, {@code gapMillis} apart. */
  public List<SimKadNetwork.SimNode> build(int n, long gapMillis) {
    return build(n, gapMillis, simConfig());
  }

  /** The same, every node with {@code config}. */
  public List<SimKadNetwork.SimNode> build(int n, long gapMillis, DhtConfig config) {
    List<SimKadNetwork.SimNode> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) nodes.add(net.addNode(config, validators));
    SimKadNetwork.SimNode boot = nodes.get(0);
    boot.node.start();
    for (int i = 1; i < n; i++) {
      SimKadNetwork.SimNode sn = nodes.get(i);
      scheduler.schedule(i * gapMillis, () -> {
        sn.node.start();
        sn.node.bootstrap(List.of(boot.node.self()));
      });
    }
    scheduler.runFor(n * gapMillis + 30_000);
    return nodes;
  }

  /** Runs the scheduler until {@code f} completes (or a virtual-time bound passes). */
  public <T> T await(CompletableFuture<T> f) {
    long deadline = scheduler.nowMillis() + 10 * DhtConfig.MINUTE;
    while (!f.isDone() && scheduler.nowMillis() < deadline) scheduler.runFor(50);
    if (!f.isDone()) throw new AssertionError("operation did not finish; seed " + scheduler.seed());
    return f.join();
  }

  /** Runs many operations concurrently and waits for all of them. */
  public <T> List<T> awaitAll(List<CompletableFuture<T>> fs) {
    List<T> out = new ArrayList<>();
    for (CompletableFuture<T> f : fs) out.add(await(f));
    return out;
  }

  /** Online honest servers sorted by distance to {@code target}: the ground truth. */
  public List<SimKadNetwork.SimNode> trueClosest(KadKey target, int n) {
    List<SimKadNetwork.SimNode> live = new ArrayList<>(net.nodes().stream().filter(s -> s.online() && s.honest() && s.node.isServer()).toList());
    live.sort(Comparator.comparing(s -> s.node.self().kadKey(), target::compareDistance));
    return live.subList(0, Math.min(n, live.size()));
  }

  public static int percentile(List<Integer> values, double p) {
    List<Integer> s = new ArrayList<>(values);
    s.sort(null);
    if (s.isEmpty()) return 0;
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
  }
}
