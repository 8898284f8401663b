package dev.weft.p2p.nat.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.ProtocolViolationException;

/** Arbitrary bytes as DCUtR messages: a clean error, or a bounded message that re-encodes to itself. */
class DcutrCodecFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    DcutrMessage m;
    try {
      m = DcutrCodec.decode(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    if (m instanceof DcutrMessage.Connect c) assertThat(c.addrs()).hasSizeLessThanOrEqualTo(DcutrCodec.MAX_ADDRS);
    try {
      assertThat(DcutrCodec.decode(DcutrCodec.encode(m))).isEqualTo(m);
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded message does not decode: " + m, e);
    }
  }
}
