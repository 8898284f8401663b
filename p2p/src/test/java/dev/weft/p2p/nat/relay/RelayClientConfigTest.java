package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayClientConfigTest {
  final RelayClientConfig config = RelayClientConfig.dialOnly();

  @Test void refreshesTwoMinutesEarlyOrHalfwayForShortReservations() {
    assertThat(config.refreshDelayMillis(60 * 60_000)).isEqualTo(58 * 60_000);
    assertThat(config.refreshDelayMillis(3 * 60_000)).isEqualTo(90_000);
    assertThat(config.refreshDelayMillis(-10_000)).as("an expiry in the past does not make us hammer the relay").isEqualTo(5_000);
  }

  @Test void retriesBackOffExponentiallyUpToTheCap() {
    assertThat(config.retryDelayMillis(1)).isEqualTo(5_000);
    assertThat(config.retryDelayMillis(2)).isEqualTo(10_000);
    assertThat(config.retryDelayMillis(7)).isEqualTo(5 * 60_000);
    assertThat(config.retryDelayMillis(1_000)).isEqualTo(5 * 60_000);
  }

  @Test void aRelayAddressMustNameTheRelay() {
    assertThatThrownBy(() -> RelayClientConfig.of(List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/p2p/");
  }
}
