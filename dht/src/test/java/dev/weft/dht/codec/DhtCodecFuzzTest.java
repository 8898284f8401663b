package dev.weft.dht.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes either decode into a message within every limit (which then re-encodes and decodes
 * to the same message) or fail with {@link DhtDecodeException}: never another exception, never a
 * hang. Replays its seed corpus as a plain test in CI: frames captured from simulations (requests
 * and answers of every type, see docs/dht.md) and hand-made edge cases.
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

  /** Whatever the DHT accepts as a multiaddr, p2p parses and writes back byte for byte. */
  @FuzzTest(maxDuration = "5s")
  void multiaddrValidatorNeverThrows(byte[] data) {
    boolean valid = MultiaddrBytes.isValid(data);
    MultiaddrBytes.isPrivateOrLoopback(data);
    if (valid) assertThat(dev.weft.p2p.multiformats.Multiaddr.fromBytes(data).bytes()).isEqualTo(data);
    else assertThat(data.length == 0 || data.length > MultiaddrBytes.MAX_BYTES || !parses(data)).isTrue();
  }

  private static boolean parses(byte[] data) {
    try {
      dev.weft.p2p.multiformats.Multiaddr.fromBytes(data);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
