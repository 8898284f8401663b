package dev.weft.p2p.nat.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
  static final String TABLE = """
      Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
      eth0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
      wlan0\t00000000\t01FEA8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
      eth0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
      """;

  @Test void picksTheDefaultRouteWithTheLowestMetric() {
    assertThat(DefaultGateway.parse(TABLE)).hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("192.168.254.1"));
  }

  @Test void noDefaultRouteOrGarbageGivesNothing() {
    assertThat(DefaultGateway.parse("Iface\tDestination\n eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\n")).isEmpty();
    assertThat(DefaultGateway.parse("garbage\nx y z\n\u0000\n eth0 zz 0101A8C0 0003 0 0 1")).isEmpty();
    assertThat(DefaultGateway.parse("")).isEmpty();
  }
}
