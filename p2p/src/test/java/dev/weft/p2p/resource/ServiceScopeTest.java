package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ResourceScope;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import org.junit.jupiter.api.Test;

/** What services reserve through their context counts against the host's resource manager. */
class ServiceScopeTest {
  private static final PeerId A = PeerId.fromPublicKey(Ed25519.fromSeedNumber(1).publicKey());
  private static final PeerId B = PeerId.fromPublicKey(Ed25519.fromSeedNumber(2).publicKey());

  @Test
  void memoryAndStreamsAreBoundedPerPeerAndReleasedBack() {
    ResourceLimits limits = ResourceLimits.DEFAULT.withBufferLimits(1000, 5000, 10_000).withStreamLimits(64, 100, 3);
    ResourceManager rm = new ResourceManager(limits, () -> 0L);
    ResourceScope scope = rm.serviceScope();
    assertThat(scope.reserveMemory(A, "/p", 600)).isTrue();
    assertThat(scope.reserveMemory(A, "/p", 600)).as("over A's 1000").isFalse();
    assertThat(scope.reserveMemory(B, "/p", 600)).as("B has its own share").isTrue();
    assertThat(rm.bufferedBy(A)).isEqualTo(600);
    scope.releaseMemory(A, "/p", 600);
    assertThat(rm.bufferedBy(A)).isZero();
    assertThat(scope.reserveMemory(A, "/p", 900)).isTrue();
    for (int i = 0; i < 3; i++) assertThat(scope.reserveStream(A, "/q")).isTrue();
    assertThat(scope.reserveStream(A, "/q")).as("A's fourth stream").isFalse();
    scope.releaseStream(A, "/q");
    assertThat(scope.reserveStream(A, "/q")).isTrue();
    assertThat(rm.snapshot().refusedBufferBytes()).isEqualTo(600);
  }

  @Test
  void aScopeReleasesAtMostWhatItReserved() {
    ResourceManager rm = new ResourceManager(ResourceLimits.DEFAULT.withBufferLimits(1000, 5000, 10_000), () -> 0L);
    ResourceScope scope = rm.serviceScope();
    ResourceScope other = rm.serviceScope();
    // The muxer holds 300 bytes of A's for /p; the service reserves 100 more.
    assertThat(rm.chargeBuffer(A, "/p", 300)).isTrue();
    assertThat(scope.reserveMemory(A, "/p", 100)).isTrue();
    scope.releaseMemory(A, "/p", 500);
    assertThat(rm.bufferedBy(A)).as("only the service's 100 came back, not the muxer's 300").isEqualTo(300);
    scope.releaseMemory(A, "/p", 100);
    other.releaseMemory(A, "/p", 300);
    scope.releaseMemory(A, "/p", -50);
    assertThat(rm.bufferedBy(A)).as("a second release, another scope's, a negative one: nothing").isEqualTo(300);
    // Were the muxer's bytes freed, A could be made to hold 1300 against its 1000; it may take 700 more only.
    assertThat(scope.reserveMemory(A, "/p", 701)).isFalse();
    assertThat(scope.reserveMemory(A, "/p", 700)).isTrue();
    scope.releaseMemory(A, "/q", 700);
    assertThat(rm.bufferedBy(A)).as("released under another protocol: not what it holds").isEqualTo(1000);
    scope.releaseMemory(A, "/p", 700);
    rm.unchargeBuffer(A, "/p", 300);
    assertThat(rm.snapshot().bufferedBytes()).isZero();

    assertThat(other.reserveStream(A, "/s")).isTrue();
    assertThat(scope.reserveStream(A, "/s")).isTrue();
    scope.releaseStream(A, "/s");
    scope.releaseStream(A, "/s");
    assertThat(rm.snapshot().streams()).as("the other scope's stream is still held").isEqualTo(1);
    other.releaseStream(A, "/s");
    assertThat(rm.snapshot().streams()).isZero();
  }

  @Test
  void theHostGivesServicesTheManagerUnlessToldOtherwise() {
    HostBuilder.Built h = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(3)).transport(dev.weft.p2p.transport.tcp.TcpTransport::new).buildWithServices();
    try {
      BasicHost host = (BasicHost) h.host();
      long huge = host.resourceManager().limits().maxBufferedPerPeer() + 1;
      assertThat(host.context().resources().reserveMemory(A, "/x", huge)).isFalse();
      assertThat(host.context().resources().reserveMemory(A, "/x", 1)).isTrue();
      assertThat(host.resourceManager().bufferedBy(A)).isEqualTo(1);
    } finally {
      h.host().close();
    }
  }
}
