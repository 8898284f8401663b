package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.Reachability.Changed;
import dev.weft.p2p.protocol.autonat.Reachability.Status;
import org.junit.jupiter.api.Test;

class ReachabilityTest {
  static final Multiaddr A = Multiaddr.parse("/ip4/203.0.113.5/tcp/4001");
  static final Multiaddr B = Multiaddr.parse("/ip4/203.0.113.5/tcp/4002");

  static PeerId server(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  Reachability r = new Reachability(new ReachabilityConfig(3, 10_000, 4, 5));

  @Test void threeAgreeingServersGiveAVerdict() {
    assertThat(r.record(A, server(1), true, 0)).isEmpty();
    assertThat(r.record(A, server(2), true, 0)).isEmpty();
    assertThat(r.node(0)).isEqualTo(Status.UNKNOWN);
    assertThat(r.record(A, server(3), true, 0)).contains(new Changed(A, Status.UNKNOWN, Status.PUBLIC));
    assertThat(r.status(A, 0).confidence()).isEqualTo(1.0);
    assertThat(r.record(A, server(4), false, 0)).isEmpty();
    assertThat(r.status(A, 0).confidence()).isEqualTo(0.75);
    assertThat(r.node(0)).isEqualTo(Status.PUBLIC);
  }

  @Test void oneServerRepeatingItselfCountsOnce() {
    for (int i = 0; i < 50; i++) r.record(A, server(666), false, i);
    assertThat(r.status(A, 50).failures()).isEqualTo(1);
    assertThat(r.status(A, 50).status()).isEqualTo(Status.UNKNOWN);
  }

  @Test void aServerChangingItsMindReplacesItsVote() {
    for (int i = 1; i <= 3; i++) r.record(A, server(i), false, 0);
    assertThat(r.status(A, 0).status()).isEqualTo(Status.PRIVATE);
    // The volunteer forwards the port: the same servers now dial through.
    r.record(A, server(1), true, 1);
    r.record(A, server(2), true, 1);
    assertThat(r.status(A, 1).status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.record(A, server(3), true, 1)).contains(new Changed(A, Status.UNKNOWN, Status.PUBLIC));
  }

  @Test void verdictsExpire() {
    for (int i = 1; i <= 3; i++) r.record(A, server(i), true, 0);
    assertThat(r.tick(9_999)).isEmpty();
    assertThat(r.tick(10_000)).containsExactly(new Changed(A, Status.PUBLIC, Status.UNKNOWN));
    assertThat(r.all(10_000)).isEmpty();
  }

  @Test void nodeIsPrivateWhenNoAddressIsPublicAndOneIsPrivate() {
    for (int i = 1; i <= 3; i++) r.record(A, server(i), false, 0);
    r.record(B, server(1), true, 0);
    assertThat(r.node(0)).isEqualTo(Status.PRIVATE);
    r.record(B, server(2), true, 0);
    r.record(B, server(3), true, 0);
    assertThat(r.node(0)).isEqualTo(Status.PUBLIC);
  }

  @Test void memoryIsBounded() {
    for (int i = 0; i < 100; i++) r.record(Multiaddr.parse("/ip4/203.0.113.5/tcp/" + (1000 + i)), server(i % 9), true, i);
    assertThat(r.all(100)).hasSize(4);
    for (int i = 0; i < 100; i++) r.record(A, server(i), true, 200);
    assertThat(r.status(A, 200).successes()).isEqualTo(5);
  }

  @Test void wouldLearnFromAServerNotYetHeard() {
    assertThat(r.wouldLearnFrom(A, server(1), 0)).isTrue();
    r.record(A, server(1), true, 0);
    assertThat(r.wouldLearnFrom(A, server(1), 0)).isFalse();
    assertThat(r.wouldLearnFrom(A, server(1), 10_000)).isTrue();
    assertThat(r.status(B, 0)).extracting(Reachability.AddressStatus::status).isEqualTo(Status.UNKNOWN);
    assertThat(r.node(0)).as("one server's word is no verdict").isEqualTo(Status.UNKNOWN);
  }
}
