package dev.weft.node.runtime;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes either decode to a round message that re-encodes to the same bytes, or fail with {@link RoundWireException}. */
class RoundWireFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decode(byte[] data) throws Exception {
    RoundMessage m;
    try {
      m = RoundWire.decode(data, new RoundWire.Limits(4096, 64));
    } catch (RoundWireException expected) {
      return;
    }
    if (!java.util.Arrays.equals(RoundWire.encode(m), data)) throw new AssertionError("decode accepted a non-canonical encoding");
  }
}
