package dev.weft.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.ProtocolViolationException;

/**
 * Arbitrary bytes as an identify message: either a {@link ProtocolViolationException}, or a
 * bounded record that survives re-encoding. Replays the seed corpus as plain tests.
 */
class IdentifyCodecFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    IdentifyInfo info;
    try {
      info = IdentifyCodec.decode(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    assertThat(info.listenAddrs()).hasSizeLessThanOrEqualTo(IdentifyProtocol.MAX_LISTEN_ADDRS);
    assertThat(info.protocols()).hasSizeLessThanOrEqualTo(IdentifyProtocol.MAX_PROTOCOLS);
    IdentifyInfo again;
    try {
      again = IdentifyCodec.decode(IdentifyCodec.encode(info));
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded identify message does not decode", e);
    }
    assertThat(again.protocols()).isEqualTo(info.protocols());
    assertThat(again.listenAddrs()).isEqualTo(info.listenAddrs());
    assertThat(again.agentVersion()).isEqualTo(info.agentVersion());
    assertThat(again.observedAddr()).isEqualTo(info.observedAddr());
  }
}
