package dev.weft.p2p.nat.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MappingLeaseTest {
  @Test void renewsAtHalfTheGrantedLifetime() {
    MappingLease l = new MappingLease();
    assertThat(l.state()).isEqualTo(MappingLease.State.REQUESTED);
    assertThat(l.due(0)).isTrue();
    l.granted(4001, 120, 0);
    assertThat(l.valid(0)).isTrue();
    assertThat(l.due(59_999)).isFalse();
    assertThat(l.due(60_000)).isTrue();
    l.granted(4001, 120, 60_000);
    assertThat(l.nextActionMillis()).isEqualTo(120_000);
  }

  @Test void failedRenewalsBackOffAndTheLeaseIsLostAtItsEnd() {
    MappingLease l = new MappingLease();
    l.granted(4001, 10, 0);
    l.failed(5_000);
    assertThat(l.nextActionMillis()).isEqualTo(6_000);
    l.failed(6_000);
    assertThat(l.nextActionMillis()).isEqualTo(8_000);
    assertThat(l.valid(8_000)).isTrue();
    l.failed(10_000);
    assertThat(l.state()).isEqualTo(MappingLease.State.LOST);
    assertThat(l.valid(10_000)).isFalse();
    l.granted(4002, 10, 20_000);
    assertThat(l.valid(20_000)).isTrue();
    assertThat(l.externalPort()).isEqualTo(4002);
  }

  @Test void backoffIsCapped() {
    MappingLease l = new MappingLease();
    long now = 0;
    for (int i = 0; i < 20; i++) {
      l.failed(now);
      now = l.nextActionMillis();
    }
    l.failed(now);
    assertThat(l.nextActionMillis() - now).isEqualTo(60_000);
    assertThat(l.state()).isEqualTo(MappingLease.State.REQUESTED);
  }
}
