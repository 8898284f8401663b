package dev.weft.crdt.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.GCounter;
import dev.weft.crdt.type.Hlc;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 50 replicas on virtual time, gossip with message loss, duplication and reordering, anti-entropy
 * streams that break, a partition that heals, and three Byzantine peers (a forger, an ACL and
 * clock violator, an equivocator). Every honest replica must reach the same state root within a
 * bounded number of anti-entropy periods after the last write; nothing the liars wrote may be in it.
 */
class ConvergenceSimTest {
  private static final long SEED = 20261202L;
  private static final int N = 50;
  private static final long WRITE_PHASE_MILLIS = 10_000;
  private static final int MAX_PERIODS_AFTER_LAST_WRITE = 20;

  @Test void honestReplicasConvergeDespiteFaultsAndLiars() {
    SimCluster c = new SimCluster(SEED, N, 6);
    c.messageLoss = 0.10;
    c.duplication = 0.05;
    c.streamBreak = 0.02;
    List<SimCluster.Node> honest = c.nodes.subList(0, N - 3);
    SimCluster.Node forger = c.nodes.get(N - 3);
    SimCluster.Node violator = c.nodes.get(N - 2);
    SimCluster.Node equivocator = c.nodes.get(N - 1);
    // Nodes 0..24 on one side, 25..49 on the other, from 2 s to 7 s.
    c.partitioned = (a, b) -> c.sim.nowMillis() >= 2_000 && c.sim.nowMillis() < 7_000 && (a.index < 25) != (b.index < 25);
    c.sim.runFor(2_000);

    long[] writes = {0};
    long[] writeBytes = {0};
    for (SimCluster.Node n : c.nodes) {
      c.sim.schedule(c.random.nextInt(1000), () -> publish(n, () -> n.run.join(Bytes.utf8("node-" + n.index)), writes, writeBytes));
      for (int k = 1; k <= 2; k++) {
        c.sim.schedule(k * 3_000L + c.random.nextInt(1500), () -> publish(n, () -> n.run.addProgress(10), writes, writeBytes));
      }
      for (int round = 1; round <= 2; round++) {
        long r = round;
        c.sim.schedule(round * 4_000L + c.random.nextInt(2000), () -> publish(n, () -> n.run.contribute(r, Bytes.utf8("g" + r + "-" + n.index)), writes, writeBytes));
      }
    }
    SimCluster.Node coord = c.nodes.get(0);
    c.sim.schedule(500, () -> publish(coord, () -> coord.run.setManifest("lr", Bytes.utf8("0.7")), writes, writeBytes));
    c.sim.schedule(6_000, () -> {
      Bytes cert = QuorumCertificate.sign("seal/1", Bytes.utf8("round-1-digest"), c.committee.subList(0, 3)).encode();
      publish(coord, () -> coord.run.seal(1, cert), writes, writeBytes);
    });

    // The liars, at 3 s and 5 s (inside the partition) and at 8 s (after it).
    PeerId victim = c.nodes.get(1).id;
    for (long t : new long[] {3_000, 5_000, 8_000}) {
      c.sim.schedule(t, () -> attack(c, forger, violator, equivocator, victim));
    }
    c.sim.runFor(WRITE_PHASE_MILLIS);
    long lastWrite = c.sim.nowMillis();
    long gossipAtLastWrite = c.gossipBytes;
    long syncAtLastWrite = c.syncBytes;

    int periods = 0;
    while (!c.converged(honest) && periods < MAX_PERIODS_AFTER_LAST_WRITE) {
      c.sim.runFor(c.syncConfig.periodMillis());
      periods++;
    }
    long convergedAfter = c.sim.nowMillis() - lastWrite;
    assertThat(c.converged(honest)).as("converged within %d anti-entropy periods (seed %d)", MAX_PERIODS_AFTER_LAST_WRITE, SEED).isTrue();

    SimCluster.Node any = honest.get(7);
    // Every honest write arrived.
    assertThat(any.run.members()).hasSize(N - 1).doesNotContainKey(equivocator.id);
    for (SimCluster.Node n : honest) assertThat(any.run.progress(n.id)).isEqualTo(20);
    assertThat(any.run.contributions(1)).hasSize(N - 1);
    assertThat(any.run.manifest("lr")).contains(Bytes.utf8("0.7"));
    assertThat(any.run.seal(1)).isPresent();
    // Nothing the liars forged or were not allowed to write.
    assertThat(any.run.members().get(victim)).isEqualTo(Bytes.utf8("node-1"));
    assertThat(any.replica.entries()).doesNotContainKeys("seal/2", "bans/" + victim.toBase58(), "manifest/evil");
    assertThat(any.run.members().get(violator.id)).isEqualTo(Bytes.utf8("node-" + violator.index));
    assertThat(any.run.contributions(9)).isEmpty();
    // The equivocator was caught: evidence everywhere, none of its writes in the state.
    for (SimCluster.Node n : honest) assertThat(n.replica.equivocators()).containsOnlyKeys(equivocator.id);
    assertThat(any.replica.entries()).containsKey("bans/" + equivocator.id.toBase58());
    assertThat(any.replica.entries()).doesNotContainKeys("contrib/1/" + equivocator.id.toBase58(), "progress/" + equivocator.id.toBase58());
    long rejected = 0;
    for (SimCluster.Node n : honest) rejected += n.replica.counters().rejected;
    assertThat(rejected).isPositive();

    System.out.printf("sim seed %d: %d writes (%d B of deltas), converged %d ms (%d periods) after the last write; "
            + "gossip %d B, anti-entropy %d B in %d sessions (%d broken) = %.0f B per write (%.0f B per write up to the last write); rejected %d%n",
        SEED, writes[0], writeBytes[0], convergedAfter, periods, c.gossipBytes, c.syncBytes, c.sessions, c.failedSessions,
        (double) (c.gossipBytes + c.syncBytes) / writes[0], (double) (gossipAtLastWrite + syncAtLastWrite) / writes[0], rejected);
  }

  private static void publish(SimCluster.Node n, java.util.function.Supplier<SignedDelta> write, long[] writes, long[] bytes) {
    SignedDelta d;
    try {
      d = write.get();
    } catch (IllegalArgumentException e) {
      // The equivocator's own replica caught itself (it received both halves back) and refuses its writes.
      return;
    }
    writes[0]++;
    bytes[0] += d.encodedLength();
    n.publish(d);
  }

  private static void attack(SimCluster c, SimCluster.Node forger, SimCluster.Node violator, SimCluster.Node eq, PeerId victim) {
    long now = SimCluster.EPOCH + c.sim.nowMillis();
    Hlc hlc = new Hlc(now, 0);
    String vkey = "members/" + victim.toBase58();
    List<byte[]> bad = new ArrayList<>();
    // Forged: claims the victim wrote it, signed with the forger's key.
    bad.add(SignedDelta.forge(forger.key, victim, SimCluster.RUN, 1, hlc, vkey, LwwRegister.of(hlc, victim.toBase58(), Bytes.utf8("forged"))).encoded());
    // ACL: the violator writes the victim's record, the manifest, a seal without quorum, a ban without evidence.
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1000, hlc, vkey, LwwRegister.of(hlc, violator.id.toBase58(), Bytes.utf8("mine"))).encoded());
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1001, hlc, "manifest/evil", LwwRegister.of(hlc, violator.id.toBase58(), Bytes.utf8("x"))).encoded());
    Bytes weakCert = QuorumCertificate.sign("seal/2", Bytes.utf8("bogus"), List.of(c.committee.get(0), violator.key, violator.key)).encode();
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1002, hlc, "seal/2", LwwRegister.of(hlc, violator.id.toBase58(), weakCert)).encoded());
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1003, hlc, "bans/" + victim.toBase58(), LwwRegister.of(hlc, violator.id.toBase58(), Bytes.utf8("trust me"))).encoded());
    // Oversized, and a clock ten years ahead, on its own record; a contribution replayed from another run.
    String own = "members/" + violator.id.toBase58();
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1004, hlc, own, LwwRegister.of(hlc, violator.id.toBase58(), Bytes.of(new byte[20_000]))).encoded());
    Hlc future = new Hlc(now + 10L * 365 * 24 * 3600 * 1000, 0);
    bad.add(SignedDelta.sign(violator.key, SimCluster.RUN, 1005, future, own, LwwRegister.of(future, violator.id.toBase58(), Bytes.utf8("future"))).encoded());
    bad.add(SignedDelta.sign(violator.key, "other-run", 1006, hlc, "contrib/9/" + violator.id.toBase58(), LwwRegister.of(hlc, violator.id.toBase58(), Bytes.utf8("old"))).encoded());
    for (SimCluster.Node n : forger.neighbours) for (byte[] b : bad) forger.sendOnlyTo(n, b);
    for (SimCluster.Node n : violator.neighbours) for (byte[] b : bad) violator.sendOnlyTo(n, b);

    // Equivocation: one seq, two contents, each to half of its neighbours.
    long seq = eq.replica.digest().writer(eq.id) == null ? 1 : eq.replica.digest().writer(eq.id).contiguous() + 1;
    String key = "contrib/1/" + eq.id.toBase58();
    SignedDelta x = SignedDelta.sign(eq.key, SimCluster.RUN, seq, hlc, key, LwwRegister.of(hlc, eq.id.toBase58(), Bytes.utf8("to-left")));
    SignedDelta y = SignedDelta.sign(eq.key, SimCluster.RUN, seq, hlc, key, LwwRegister.of(hlc, eq.id.toBase58(), Bytes.utf8("to-right")));
    for (int i = 0; i < eq.neighbours.size(); i++) eq.sendOnlyTo(eq.neighbours.get(i), (i % 2 == 0 ? x : y).encoded());
    // It keeps writing progress, too (these must be excluded once it is caught).
    if (c.random.nextBoolean()) {
      SignedDelta p = SignedDelta.sign(eq.key, SimCluster.RUN, seq + 1, hlc, "progress/" + eq.id.toBase58(), GCounter.of(java.util.Map.of(eq.id.toBase58(), 5L)));
      for (SimCluster.Node n : eq.neighbours) eq.sendOnlyTo(n, p.encoded());
    }
  }
}
