package dev.weft.p2p.nat.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.record.InvalidRecordException;

/** Arbitrary bytes as hop/stop messages and vouchers: a clean error or a bounded value that re-encodes. */
class RelayCodecFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decodeHop(byte[] data) {
    RelayMessage m;
    try {
      m = RelayCodec.decodeHop(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    if (m instanceof RelayMessage.HopStatus s && s.reservation() != null) assertThat(s.reservation().addrs()).hasSizeLessThanOrEqualTo(RelayCodec.MAX_ADDRS);
    try {
      RelayCodec.decodeHop(RelayCodec.encodeHop(m));
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded hop message does not decode: " + m, e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void decodeStop(byte[] data) {
    RelayMessage m;
    try {
      m = RelayCodec.decodeStop(data);
    } catch (ProtocolViolationException expected) {
      return;
    }
    try {
      assertThat(RelayCodec.decodeStop(RelayCodec.encodeStop(m))).isEqualTo(m);
    } catch (ProtocolViolationException e) {
      throw new AssertionError("re-encoded stop message does not decode: " + m, e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void openVoucher(byte[] data) {
    try {
      ReservationVoucher v = ReservationVoucher.open(data);
      assertThat(v.relay()).isNotNull();
    } catch (InvalidRecordException expected) {
      // fine
    }
  }
}
