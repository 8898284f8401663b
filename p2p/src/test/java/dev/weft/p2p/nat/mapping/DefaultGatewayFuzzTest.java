package dev.weft.p2p.nat.mapping;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Any text as /proc/net/route: a gateway or nothing, never an exception. */
class DefaultGatewayFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parseAnything(byte[] data) {
    DefaultGateway.parse(new String(data, StandardCharsets.US_ASCII))
        .ifPresent(a -> org.assertj.core.api.Assertions.assertThat(a.getAddress()).hasSize(4).isNotEqualTo(new byte[4]));
  }
}
