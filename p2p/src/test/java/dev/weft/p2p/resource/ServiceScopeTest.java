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
