package dev.weft.dht.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtLimits;
import dev.weft.dht.RequestRateLimiter;
import dev.weft.dht.TestPeers;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.host.BasicHost;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each peer gets {@code requestBurst} requests at once and {@code requestsPerSecond} after that
 * (a token bucket on the node's clock); requests over the rate get no answer, other peers are not
 * affected, and a lifted limit answers the same burst in full.
 */
class RequestRateLimitTest {
  final Random r = new Random(18);
  static final DhtMessage FIND = DhtMessage.request(DhtMessage.Type.FIND_NODE, new byte[] {1, 2, 3});

  static int answered(ServedNode n, PeerInfo from, int requests) {
    int ok = 0;
    for (int i = 0; i < requests; i++) if (n.request(from, FIND).isPresent()) ok++;
    return ok;
  }

  @Test
  void aPeerOverItsRateGetsNoAnswersWhileOthersDo() {
    DhtLimits limits = DhtLimits.defaults().withRequestRate(10, 50);
    ServedNode n = new ServedNode(DhtConfig.defaults().withLimits(limits), new MemoryDhtStore());
    PeerInfo flooder = TestPeers.peer(r);
    PeerInfo honest = TestPeers.peer(r);
    assertThat(answered(n, flooder, 500)).as("the burst").isEqualTo(50);
    assertThat(n.node.requestsOverRate()).isEqualTo(450);
    assertThat(answered(n, honest, 20)).as("another peer").isEqualTo(20);
    n.scheduler.runFor(1_000);
    assertThat(answered(n, flooder, 500)).as("one second's refill").isEqualTo(10);
    n.scheduler.runFor(3_600_000);
    assertThat(answered(n, flooder, 500)).as("refilled up to the burst, no more").isEqualTo(50);
  }

  @Test
  void withTheLimitLiftedTheSameBurstIsAnsweredInFull() {
    ServedNode n = new ServedNode(DhtConfig.defaults().withLimits(DhtLimits.defaults().withRequestRate(1e9, 1_000_000)), new MemoryDhtStore());
    assertThat(answered(n, TestPeers.peer(r), 500)).isEqualTo(500);
    assertThat(n.node.requestsOverRate()).isZero();
  }

  @Test
  void forgettingIdlePeersNeverGrantsMoreThanTheBurst() {
    DhtLimits l = DhtLimits.defaults().withRequestRate(1, 2);
    DhtLimits limits = new DhtLimits(l.maxRecords(), l.maxRecordBytes(), l.maxRecordsPerPeer(), l.maxRecordBytesPerPeer(), l.maxProviderRecords(),
        l.maxProviderBytes(), l.maxProviderRecordsPerPeer(), l.maxProviderBytesPerPeer(), l.maxProvidersPerKey(), l.maxAddrsPerProvider(),
        l.maxAddrBytes(), 1, 2, 3, l.maxAnswerBytes(), l.answerAddrsPerPeer());
    RequestRateLimiter rate = new RequestRateLimiter(limits);
    PeerId a = TestPeers.peerId(r);
    assertThat(rate.tryAcquire(a, 0)).isTrue();
    assertThat(rate.tryAcquire(a, 0)).isTrue();
    assertThat(rate.tryAcquire(a, 0)).isFalse();
    for (int i = 0; i < 10; i++) rate.tryAcquire(TestPeers.peerId(r), 0);
    assertThat(rate.tracked()).isEqualTo(3);
    // a is forgotten and starts again with a full bucket: two, as it would have had by now anyway
    assertThat(rate.tryAcquire(a, 0)).isTrue();
    assertThat(rate.tryAcquire(a, 0)).isTrue();
    assertThat(rate.tryAcquire(a, 0)).isFalse();
  }

  @Test
  void overLoopbackTcpRequestsOverTheRateAreReset() throws Exception {
    int burst = 5;
    try (LoopbackDhts net = new LoopbackDhts()) {
      BasicHost victim = net.host(181);
      net.dht(victim, DhtConfig.defaults().withLimits(DhtLimits.defaults().withRequestRate(1, burst)));
      BasicHost flooder = net.host(182);
      BasicHost honest = net.host(183);
      LoopbackDhts.introduce(flooder, victim);
      LoopbackDhts.introduce(honest, victim);
      long t0 = System.nanoTime();
      int ok = 0;
      int sent = 30;
      for (int i = 0; i < sent; i++) if (LoopbackDhts.request(flooder, victim, FIND, true).isPresent()) ok++;
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(ok).as("answered of %d in %.1f s", sent, seconds).isBetween(burst, burst + (int) Math.ceil(seconds) + 1);
      assertThat(ok).isLessThan(sent);
      assertThat(LoopbackDhts.request(honest, victim, FIND, true)).as("another peer is answered").isPresent();
    }
  }
}
