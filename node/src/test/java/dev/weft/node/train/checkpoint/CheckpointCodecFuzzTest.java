package dev.weft.node.train.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes either decode to a checkpoint or fail with {@link CorruptCheckpointException}; nothing else escapes. */
class CheckpointCodecFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decode(byte[] data) {
    try {
      CheckpointCodec.decode(data);
    } catch (CorruptCheckpointException expected) {
      // rejected cleanly
    }
  }
}
