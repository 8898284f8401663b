package dev.weft.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The limits record refuses values that would leave a resource unbounded or a quota unusable. */
class DhtLimitsTest {
  final DhtLimits d = DhtLimits.defaults();

  @Test
  void theDefaultsAreWhatTheDocsSay() {
    assertThat(d.maxRecordBytesPerPeer() + d.maxProviderBytesPerPeer()).isEqualTo(3 * DhtLimits.MIB);
    assertThat(d.floodersToFillRecords()).isEqualTo(64);
    assertThat(d.floodersToFillProviders()).isEqualTo(64);
    assertThat(d.maxAnswerBytes()).isEqualTo(dev.weft.dht.codec.DhtCodec.MAX_MESSAGE_BYTES);
  }

  @Test
  void unusableOrUnboundedLimitsAreRefused() {
    assertThatThrownBy(() -> d.withRequestRate(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRequestRate(Double.NaN, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRequestRate(Double.POSITIVE_INFINITY, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRequestRate(10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRecordQuotas(10, DhtLimits.MIB, 20, DhtLimits.MIB)).as("per peer above the total").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRecordQuotas(10, DhtLimits.MIB, 5, 1024)).as("cannot hold one maximal record").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withProviderQuotas(10, DhtLimits.MIB, 5, DhtLimits.MIB, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withProviderAddrs(16, 2048)).as("longer than the codec accepts").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DhtLimits(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
