package dev.weft.node.runtime;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes either decode to a checkpoint or fail with {@link IllegalArgumentException}; nothing else escapes. */
class CertifiedCheckpointFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decode(byte[] data) {
    try {
      CertifiedCheckpoint.decode(data);
    } catch (IllegalArgumentException expected) {
      // rejected cleanly
    }
  }
}
