package dev.weft.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.transport.memory.LinkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hundreds of hosts in one JVM on virtual time, with jittery lossy links: deterministic from the seed. */
@Timeout(120)
class ManyHostsSimTest {
  static final int HOSTS = 200;
  static final int DIALS_PER_HOST = 4;

  record Outcome(long tasks, long endTime, List<Double> rtts, int connections, long identified) {}

  static Outcome run(long seed) {
    try (SimNet net = new SimNet(seed)) {
      net.network.setDefaultLink(new LinkConfig(10, 30, 0.05, 200, 10_000_000));
      for (int i = 0; i < HOSTS; i++) net.add(1000 + i);
      Random pick = new Random(seed);
      List<CompletableFuture<Connection>> dials = new ArrayList<>();
      for (HostBuilder.Built h : net.hosts) {
        for (int d = 0; d < DIALS_PER_HOST; d++) {
          HostBuilder.Built other = net.hosts.get(pick.nextInt(HOSTS));
          if (other == h) continue;
          dials.add(h.host().dial(other.host().listenAddresses().get(0).withPeerId(other.host().peerId())));
        }
      }
      net.sim.runFor(5_000);
      assertThat(dials).as("seed %d", seed).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      List<CompletableFuture<List<Double>>> pings = new ArrayList<>();
      for (HostBuilder.Built h : net.hosts) {
        for (Connection c : h.host().connections()) if (c.isInitiator()) pings.add(h.ping().ping(c, 2));
      }
      net.sim.runFor(20_000);
      List<Double> rtts = new ArrayList<>();
      for (CompletableFuture<List<Double>> p : pings) {
        assertThat(p).as("seed %d", seed).isDone();
        rtts.addAll(p.join());
      }
      int conns = 0;
      long identified = 0;
      for (HostBuilder.Built h : net.hosts) {
        conns += h.host().connections().size();
        for (Connection c : h.host().connections()) if (h.identify().info(c.remotePeer()).isPresent()) identified++;
      }
      return new Outcome(net.sim.executedTasks(), net.sim.nowMillis(), rtts, conns, identified);
    }
  }

  @Test void twoHundredHostsConnectIdentifyAndPingDeterministically() {
    long seed = 20261125;
    Outcome a = run(seed);
    assertThat(a.connections()).as("seed %d", seed).isGreaterThan(HOSTS * DIALS_PER_HOST); // both ends, minus reuse
    assertThat(a.identified()).as("every connection identified, seed %d", seed).isEqualTo(a.connections());
    assertThat(a.rtts()).allMatch(r -> r >= 20); // at least two 10 ms hops
    Outcome b = run(seed);
    assertThat(b).as("same seed, same run (seed %d)", seed).isEqualTo(a);
  }
}
