package dev.weft.node.train.data;

import dev.weft.p2p.multiformats.Multihash;
import java.util.HexFormat;

/**
 * The content address of a data shard: the sha2-256 multihash of its bytes. Kept as our own small
 * record so it can wrap the p2p module's CID type once that lands, without changing callers.
 */
public record ShardId(Multihash hash) implements Comparable<ShardId> {
  public ShardId {
    if (hash.code() != Multihash.SHA2_256) throw new IllegalArgumentException("shard ids are sha2-256 multihashes");
  }

  public static ShardId of(byte[] content) {
    return new ShardId(Multihash.sha256(content));
  }

  /** Multihash bytes as lowercase hex (e.g. {@code 1220…}). */
  public String hex() {
    return HexFormat.of().formatHex(hash.bytes());
  }

  public static ShardId parseHex(String hex) {
    return new ShardId(Multihash.decode(HexFormat.of().parseHex(hex)));
  }

  @Override public int compareTo(ShardId o) {
    return java.util.Arrays.compareUnsigned(hash.bytes(), o.hash.bytes());
  }

  @Override public String toString() {
    return hex().substring(0, 16) + "…";
  }
}
