package dev.weft.node.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A corpus cut into fixed-size content-addressed shards, with every {@link #VALIDATION_EVERY}-th
 * shard held out for validation (spread across the text rather than only its end, so a corpus
 * whose style drifts is still validated fairly). Immutable.
 */
public record ShardedDataset(List<Shard> train, List<Shard> validation) {
  /** Default shard size: small enough that a 400 KB corpus gives dozens of shards to spread over workers. */
  public static final int DEFAULT_SHARD_BYTES = 8 * 1024;
  /** One shard in ten is validation data. */
  public static final int VALIDATION_EVERY = 10;

  public ShardedDataset {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    if (train.isEmpty() || validation.isEmpty()) throw new CorruptDataException("dataset needs training and validation shards");
  }

  /**
   * Splits {@code corpus} into shards of {@code shardBytes} (the last shard may be shorter but at
   * least {@code minShard} bytes; a shorter tail joins the previous shard).
   */
  public static ShardedDataset split(byte[] corpus, int shardBytes, int minShard) {
    if (shardBytes < minShard || minShard < 2) throw new IllegalArgumentException("bad shard size");
    List<byte[]> pieces = new ArrayList<>();
    for (int off = 0; off < corpus.length; off += shardBytes) {
      int end = Math.min(corpus.length, off + shardBytes);
      if (corpus.length - end < minShard) end = corpus.length;
      pieces.add(Arrays.copyOfRange(corpus, off, end));
      if (end == corpus.length) break;
    }
    if (pieces.size() < 2) throw new CorruptDataException("corpus of " + corpus.length + " bytes is too small for a training and a validation shard of " + shardBytes + " bytes");
    List<Shard> train = new ArrayList<>(), val = new ArrayList<>();
    int every = Math.min(VALIDATION_EVERY, pieces.size());
    for (int i = 0; i < pieces.size(); i++) {
      (i % every == every - 1 ? val : train).add(Shard.of(pieces.get(i)));
    }
    return new ShardedDataset(train, val);
  }

  public long trainBytes() {
    return train.stream().mapToLong(Shard::length).sum();
  }
}
