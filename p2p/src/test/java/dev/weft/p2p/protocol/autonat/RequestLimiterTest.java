package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.protocol.autonat.RequestLimiter.Admission;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
  static PeerId peer(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  final AutonatServerConfig config = AutonatServerConfig.DEFAULT.withRates(2, 5, 1);
  final RequestLimiter limiter = new RequestLimiter(config);

  Admission serve(PeerId p, long now) {
    Admission a = limiter.tryAcquire(p, now);
    if (a == Admission.ADMITTED) limiter.release(p);
    return a;
  }

  @Test void perPeerWindowSlides() {
    assertThat(serve(peer(1), 0)).isEqualTo(Admission.ADMITTED);
    assertThat(serve(peer(1), 1)).isEqualTo(Admission.ADMITTED);
    assertThat(serve(peer(1), 2)).isEqualTo(Admission.PEER_RATE_LIMITED);
    assertThat(serve(peer(2), 2)).isEqualTo(Admission.ADMITTED);
    assertThat(serve(peer(1), 60_000)).isEqualTo(Admission.ADMITTED);
  }

  @Test void globalWindowCapsEveryone() {
    for (int i = 0; i < 5; i++) assertThat(serve(peer(i), i)).isEqualTo(Admission.ADMITTED);
    assertThat(serve(peer(99), 10)).isEqualTo(Admission.GLOBAL_RATE_LIMITED);
    assertThat(serve(peer(99), 60_001)).isEqualTo(Admission.ADMITTED);
  }

  @Test void memoryIsBoundedByTheGlobalLimitWhateverTheNumberOfPeers() {
    for (int i = 0; i < 10_000; i++) serve(peer(i % 500), i % 100);
    assertThat(limiter.trackedPeers()).isLessThanOrEqualTo(5);
  }

  @Test void concurrencyIsOnePerPeerAndCappedOverall() {
    AutonatServerConfig c = new AutonatServerConfig(100, 100, 100, 60_000, 2, 30_000, true, false, 1000, 1000);
    RequestLimiter l = new RequestLimiter(c);
    assertThat(l.tryAcquire(peer(1), 0)).isEqualTo(Admission.ADMITTED);
    assertThat(l.tryAcquire(peer(1), 0)).isEqualTo(Admission.BUSY);
    assertThat(l.tryAcquire(peer(2), 0)).isEqualTo(Admission.ADMITTED);
    assertThat(l.tryAcquire(peer(3), 0)).isEqualTo(Admission.BUSY);
    l.release(peer(1));
    assertThat(l.tryAcquire(peer(3), 0)).isEqualTo(Admission.ADMITTED);
  }

  @Test void configIsValidated() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AutonatServerConfig(0, 1, 1, 1, 1, 30_000, true, false, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AutonatServerConfig(1, 1, 1, 1, 1, 100_001, true, false, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AutonatClientConfig(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReachabilityConfig(3, 1, 1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
