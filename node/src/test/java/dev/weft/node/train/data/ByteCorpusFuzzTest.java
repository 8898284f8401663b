package dev.weft.node.train.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary file contents are either accepted as a dataset or rejected with {@link CorruptDataException}. */
class ByteCorpusFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void validateAndSplit(byte[] data) {
    try {
      ByteCorpus.validate(data, "fuzz");
      ShardedDataset ds = ShardedDataset.split(data, 1024, 64);
      new WindowSampler(ds.train(), 2, 16, 1).next();
    } catch (CorruptDataException expected) {
      // rejected cleanly
    }
  }
}
