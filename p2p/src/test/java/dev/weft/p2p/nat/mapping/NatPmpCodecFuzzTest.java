package dev.weft.p2p.nat.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.ProtocolViolationException;

/** Any datagram as a NAT-PMP response: a clean violation, or fields within their wire ranges. */
class NatPmpCodecFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodeResponses(byte[] data) {
    try {
      NatPmpCodec.ExternalAddress a = NatPmpCodec.decodeExternalAddress(data, data.length);
      assertThat(a.address().getAddress()).hasSize(4);
    } catch (ProtocolViolationException expected) {
      // fine
    }
    for (int op : new int[] {NatPmpCodec.OP_MAP_UDP, NatPmpCodec.OP_MAP_TCP}) {
      try {
        NatPmpCodec.Mapping m = NatPmpCodec.decodeMapping(data, data.length, op);
        assertThat(m.internalPort()).isBetween(0, 65535);
        assertThat(m.externalPort()).isBetween(0, 65535);
        assertThat(m.lifetimeSeconds()).isBetween(0L, 0xFFFF_FFFFL);
      } catch (ProtocolViolationException expected) {
        // fine
      }
    }
  }
}
