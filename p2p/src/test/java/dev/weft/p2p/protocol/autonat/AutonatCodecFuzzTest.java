package dev.weft.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.autonat.v1.V1Codec;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.io.ProtocolViolationException;

/**
 * Arbitrary bytes as AutoNAT messages: a {@link ProtocolViolationException} or a bounded message
 * that survives re-encoding. Seeds: real messages ({@link AutonatFuzzSeeds}).
 */
class AutonatCodecFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decodeV2(byte[] data) {
    V2Message m;
    try {
      m = V2Codec.decode(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    if (m instanceof V2Message.DialRequest r) assertThat(r.addrs()).hasSizeBetween(1, AutonatLimits.MAX_ADDRS);
    if (m instanceof V2Message.DialDataResponse d) assertThat(d.dataBytes()).isBetween(0, AutonatLimits.MAX_DIAL_DATA_CHUNK);
    try {
      V2Message again = V2Codec.decode(V2Codec.encode(m));
      if (!(m instanceof V2Message.DialRequest)) assertThat(again).isEqualTo(m);
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded message does not decode: " + m, e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void decodeDialBack(byte[] data) {
    try {
      long nonce = V2Codec.decodeDialBack(data);
      assertThat(V2Codec.decodeDialBack(V2Codec.encodeDialBack(nonce))).isEqualTo(nonce);
    } catch (ProtocolViolationException expected) {
      // fine
    }
    try {
      V2Codec.decodeDialBackResponse(data);
    } catch (ProtocolViolationException expected) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "60s")
  void decodeV1(byte[] data) {
    V1Message m;
    try {
      m = V1Codec.decode(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    switch (m) {
      case V1Message.Dial d -> assertThat(d.addrs()).hasSizeLessThanOrEqualTo(AutonatLimits.MAX_ADDRS);
      case V1Message.DialResponse r -> {
        assertThat(r.status()).isNotNull();
        if (r.statusText() != null) assertThat(r.statusText().length()).isLessThanOrEqualTo(V1Codec.MAX_STATUS_TEXT);
      }
    }
    try {
      V1Codec.decode(V1Codec.encode(m));
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded message does not decode: " + m, e);
    }
  }
}
