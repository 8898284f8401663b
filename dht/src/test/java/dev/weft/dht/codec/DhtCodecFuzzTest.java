package dev.weft.dht.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes either decode into a message within every limit (which then re-encodes and decodes
 * to the same message) or fail with {@link DhtDecodeException}: never another exception, never a
 * hang. Replays its seed corpus as a plain test in CI.
 */
class DhtCodecFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void decodeNeverThrowsAnythingElse(byte[] data) {
    DhtMessage m;
    try {
      m = DhtCodec.decode(data);
    } catch (DhtDecodeException e) {
      return;
    }
    assertThat(m.closerPeers().size()).isLessThanOrEqualTo(DhtCodec.MAX_PEERS);
    assertThat(m.providerPeers().size()).isLessThanOrEqualTo(DhtCodec.MAX_PEERS);
    if (m.record() != null) assertThat(m.record().value().length).isLessThanOrEqualTo(DhtCodec.MAX_VALUE_BYTES);
    try {
      assertThat(DhtCodec.decode(DhtCodec.encode(m))).isEqualTo(m);
    } catch (DhtDecodeException e) {
      throw new AssertionError("re-encoded message failed to decode", e);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void multiaddrValidatorNeverThrows(byte[] data) {
    MultiaddrBytes.isValid(data);
    MultiaddrBytes.isPrivateOrLoopback(data);
  }
}
