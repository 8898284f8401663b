package dev.weft.crdt.codec;

/**
 * Bounds on what one decode may allocate, so that a hostile peer's bytes cannot make us build a
 * huge or deeply nested value. Every count and length read from the wire is checked against these
 * before anything is allocated.
 *
 * @param maxEntries entries of any one collection (counter entries, map keys, dots of a context)
 * @param maxStringBytes length of a string (key, replica id)
 * @param maxBlobBytes length of a register value
 * @param maxDepth nesting depth of maps
 */
public record DecodeLimits(int maxEntries, int maxStringBytes, int maxBlobBytes, int maxDepth) {
  public DecodeLimits {
    if (maxEntries < 1 || maxStringBytes < 1 || maxBlobBytes < 0 || maxDepth < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxEntries + "/" + maxStringBytes + "/" + maxBlobBytes + "/" + maxDepth);
    }
  }

  /** Generous limits for whole replicas read from our own disk. */
  public static DecodeLimits local() {
    return new DecodeLimits(1 << 22, 4096, 16 << 20, 16);
  }

  /** Limits for one delta from the network. */
  public static DecodeLimits delta() {
    return new DecodeLimits(4096, 512, 256 << 10, 8);
  }
}
