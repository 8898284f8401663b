package dev.weft.node.round.msg;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes either decode to a verified message or fail with {@link RoundMessageException}; nothing else escapes. */
class RoundCodecFuzzTest {
  private static final RoundCodec CODEC = new RoundCodec("run-1", RoundLimits.defaults(), Ed25519RoundKeys.verifier());

  @FuzzTest(maxDuration = "20s")
  void decode(byte[] data) {
    try {
      CODEC.decode(data);
    } catch (RoundMessageException expected) {
      // rejected cleanly
    }
  }
}
