package dev.weft.cli.state;

import dev.weft.cli.gossip.GossipRegistry;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.net.CrdtStateService;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.ReplicaConfig;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.replica.RocksReplicaStore;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.type.HybridClock;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;

/** The replicated run state of each serve session's host (one run per host), opened by {@code crdt.open}. Thread-safe. */
final class CrdtRegistry {
  private static final Map<Host, CrdtStateService> BY_HOST = new WeakHashMap<>();

  private CrdtRegistry() {}

  static synchronized CrdtStateService open(ServeContext ctx, String run, PeerId coordinator, Set<PeerId> committee, int quorum, Path dir) {
    if (BY_HOST.containsKey(ctx.host())) throw new IllegalArgumentException("a run is already open on this host: " + BY_HOST.get(ctx.host()).replica().runId());
    ReplicaStore store = dir == null ? ReplicaStore.NONE : new RocksReplicaStore(dir, false);
    Replica replica = new Replica(run, RunSchema.standard(coordinator, QuorumCertificate.verifier(committee, quorum), null),
        ctx.host().privateKey(), new HybridClock(System::currentTimeMillis, 60_000), ReplicaConfig.defaults(), store);
    CrdtStateService s = new CrdtStateService(ctx.host(), GossipRegistry.of(ctx), ctx.host().scheduler(), replica,
        SyncConfig.defaults(), new Random(new SecureRandom().nextLong()));
    s.start().join();
    BY_HOST.put(ctx.host(), s);
    // The store stays open until the process exits: every batch is in RocksDB's write-ahead log,
    // which the next open replays (closing it here could race the scheduler's last writes).
    return s;
  }

  static synchronized CrdtStateService of(ServeContext ctx) {
    CrdtStateService s = BY_HOST.get(ctx.host());
    if (s == null) throw new IllegalArgumentException("no run open: send crdt.open first");
    return s;
  }
}
