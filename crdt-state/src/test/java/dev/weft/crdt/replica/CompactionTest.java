package dev.weft.crdt.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.type.Bytes;
import dev.weft.p2p.crypto.Ed25519;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta-log compaction: superseded deltas are dropped only once every known replica covers the
 * delta that supersedes them; afterwards a replica that was never seen catches up from the
 * compacted log (with a cover claim) to the same state, and a restart keeps the compacted log.
 */
class CompactionTest {
  @TempDir Path dir;

  @Test void supersededDeltasGoOnceEveryKnownReplicaAckedAndNewcomersStillConverge() {
    try (RocksReplicaStore store = new RocksReplicaStore(dir, false)) {
      Replica a = new Replica(ByzantineWriterTest.RUN, ByzantineWriterTest.SCHEMA, ByzantineWriterTest.HONEST,
          new dev.weft.crdt.type.HybridClock(() -> ByzantineWriterTest.NOW, 60_000), ReplicaConfig.defaults(), store);
      RunState run = new RunState(a);
      for (int i = 0; i < 5; i++) run.join(Bytes.utf8("v" + i));
      for (int i = 0; i < 3; i++) run.addProgress(1);
      run.contribute(1, Bytes.utf8("c1"));
      assertThat(a.heldDeltas()).isEqualTo(9);

      Replica b = ByzantineWriterTest.replica(ByzantineWriterTest.COORD);
      // Before any replica acknowledged anything, nothing may go.
      a.acknowledged(b.self(), b.digest());
      assertThat(a.compact()).isZero();
      SessionPump.sync(a, b, SyncConfig.defaults());
      // The session carried b's digest from before it received anything: still nothing may go.
      assertThat(a.compact()).isZero();
      // b's next digest acknowledges everything.
      a.acknowledged(b.self(), b.digest());
      byte[] hashBefore = b.digest().writer(a.self()).logHash();
      assertThat(a.compact()).as("4 older joins and 2 smaller progress totals are superseded").isEqualTo(6);
      assertThat(a.heldDeltas()).isEqualTo(3);
      assertThat(a.digest().writer(a.self()).logHash()).as("live hash unchanged by compaction").isEqualTo(hashBefore);
      assertThat(a.digest().writer(a.self()).contiguous()).isEqualTo(9);

      Replica c = ByzantineWriterTest.replica(Ed25519.fromSeedNumber(77));
      SessionPump.sync(c, a, SyncConfig.defaults());
      assertThat(c.heldDeltas()).isEqualTo(3);
      assertThat(c.digest().writer(a.self()).contiguous()).as("cover claim taken").isEqualTo(9);
      assertThat(c.stateRoot()).isEqualTo(a.stateRoot()).isEqualTo(b.stateRoot());
      assertThat(new RunState(c).progress(a.self())).isEqualTo(3);
      // Later writes still flow, and the next write's seq continues after the compacted ones.
      assertThat(run.join(Bytes.utf8("v5")).seq()).isEqualTo(10);
      SessionPump.sync(c, a, SyncConfig.defaults());
      assertThat(c.stateRoot()).isEqualTo(a.stateRoot());
    }
    try (RocksReplicaStore store = new RocksReplicaStore(dir, false)) {
      Replica again = new Replica(ByzantineWriterTest.RUN, ByzantineWriterTest.SCHEMA, ByzantineWriterTest.HONEST,
          new dev.weft.crdt.type.HybridClock(() -> ByzantineWriterTest.NOW, 60_000), ReplicaConfig.defaults(), store);
      assertThat(again.heldDeltas()).isEqualTo(4);
      assertThat(again.digest().writer(again.self()).contiguous()).isEqualTo(10);
      assertThat(new RunState(again).members().get(again.self())).isEqualTo(Bytes.utf8("v5"));
    }
  }
}
