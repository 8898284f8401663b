package dev.weft.node.train.data;

/**
 * A slice of the corpus and its content address. The bytes are owned by the shard; {@link #bytes()}
 * returns the internal array for speed, so callers must not modify it.
 */
public record Shard(ShardId id, byte[] data) {
  public Shard {
    if (!ShardId.of(data).equals(id)) throw new CorruptDataException("shard content does not match its id " + id);
  }

  public static Shard of(byte[] data) {
    return new Shard(ShardId.of(data), data);
  }

  public int length() {
    return data.length;
  }
}
