package dev.weft.p2p.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.protocol.identify.IdentifyProtocol;
import dev.weft.p2p.protocol.ping.PingProtocol;
import dev.weft.p2p.time.SimScheduler;
import dev.weft.p2p.transport.memory.LinkConfig;
import dev.weft.p2p.transport.memory.MemoryNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hosts in a simulation with the real stack: identify and ping run over Yamux streams inside Noise
 * inside multistream-select, every byte across the simulated links, on virtual time; the same seed
 * gives the same run.
 */
class RealStackHostSimTest {
  record Run(List<Double> rtts, long tasks, boolean identified) {}

  static Run run(long seed) {
    SimScheduler sim = new SimScheduler(seed);
    MemoryNetwork network = new MemoryNetwork(sim);
    network.setDefaultLink(LinkConfig.latency(20));
    List<HostBuilder.Built> hosts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      PrivKey key = Ed25519.fromSeedNumber(500 + i);
      HostBuilder.Built b = BasicHost.builder().privateKey(key).scheduler(sim).transport(UpgradedTransport.simulated(network, key))
          .listen("/memory/0").buildWithServices();
      CompletableFuture<Void> started = b.host().start();
      sim.runFor(1);
      started.join();
      hosts.add(b);
    }
    try {
      List<Double> rtts = new ArrayList<>();
      for (int i = 1; i < hosts.size(); i++) {
        BasicHost from = hosts.get(i).host();
        BasicHost to = hosts.get(0).host();
        from.peerStore().addAddresses(to.peerId(), to.listenAddresses(), 60_000);
        CompletableFuture<List<Double>> ping = hosts.get(i).ping().ping(to.peerId(), 3);
        long deadline = sim.nowMillis() + 30_000;
        while (!ping.isDone() && sim.nowMillis() < deadline) sim.runFor(1);
        assertThat(ping).as("ping from host %d (seed %d)", i, seed).isCompletedWithValueMatching(l -> l.size() == 3);
        rtts.addAll(ping.join());
      }
      sim.runFor(2_000);
      PeerId first = hosts.get(0).host().peerId();
      boolean identified = hosts.get(1).host().peerStore().protocols(first).containsAll(List.of(IdentifyProtocol.ID, PingProtocol.ID));
      return new Run(rtts, sim.executedTasks(), identified);
    } finally {
      for (HostBuilder.Built h : hosts) h.host().close();
      sim.runFor(1_000);
    }
  }

  @Test void identifyAndPingRunOverTheRealStackOnVirtualTime() {
    Run r = run(31);
    assertThat(r.identified()).as("identify ran over the upgraded connection").isTrue();
    // 20 ms each way: a ping's round trip over Yamux is 40 ms of virtual time, exactly.
    assertThat(r.rtts()).hasSize(6).allSatisfy(rtt -> assertThat(rtt).isEqualTo(40.0));
  }

  @Test void theSameSeedGivesTheSameRun() {
    Run a = run(32);
    Run b = run(32);
    assertThat(b.tasks()).isEqualTo(a.tasks());
    assertThat(b.rtts()).isEqualTo(a.rtts());
  }
}
