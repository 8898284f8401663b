package dev.weft.crdt.delta;

import dev.weft.crdt.type.CrdtType;

/**
 * One declaration of the schema: the keys matching {@code pattern} hold CRDTs of {@code type},
 * written only as {@code rule} allows, by deltas of at most {@code maxDeltaBytes} encoded.
 */
public record KeyRule(KeyPattern pattern, CrdtType type, WriteRule rule, int maxDeltaBytes) {
  public KeyRule {
    if (maxDeltaBytes < 64) throw new IllegalArgumentException("maxDeltaBytes too small: " + maxDeltaBytes);
  }
}
