package dev.weft.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary input to the multiaddr decoders may only ever raise {@link IllegalArgumentException};
 * whatever decodes must survive a round trip through both forms. Replays the seed corpus in
 * {@code MultiaddrFuzzTestInputs/} as plain tests; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MultiaddrFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void fromBytes(byte[] data) {
    Multiaddr ma;
    try {
      ma = Multiaddr.fromBytes(data);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(ma.bytes()).isEqualTo(data);
    assertThat(Multiaddr.parse(ma.toString())).isEqualTo(ma);
    ma.peerId();
    ma.isLoopback();
    ma.isPrivate();
    try {
      ma.toInetSocketAddress();
    } catch (IllegalArgumentException notTcp) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "60s")
  void parse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Multiaddr ma;
    try {
      ma = Multiaddr.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(Multiaddr.fromBytes(ma.bytes())).isEqualTo(ma);
    assertThat(Multiaddr.parse(ma.toString())).isEqualTo(ma);
  }
}
