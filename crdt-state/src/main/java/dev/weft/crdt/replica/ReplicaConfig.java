package dev.weft.crdt.replica;

/**
 * Limits of one replica.
 *
 * @param maxDeltaBytes largest encoded delta accepted from anyone (schema rules may be stricter)
 * @param maxDriftMillis how far ahead of our wall clock a delta's hybrid clock may be
 * @param maxAheadPerWriter how far beyond a writer's covered prefix a seq may be (bounds the gaps one writer can make us track)
 */
public record ReplicaConfig(int maxDeltaBytes, long maxDriftMillis, int maxAheadPerWriter) {
  public ReplicaConfig {
    if (maxDeltaBytes < 256) throw new IllegalArgumentException("maxDeltaBytes < 256: " + maxDeltaBytes);
    if (maxDriftMillis < 0) throw new IllegalArgumentException("maxDriftMillis < 0");
    if (maxAheadPerWriter < 1) throw new IllegalArgumentException("maxAheadPerWriter < 1");
  }

  public static ReplicaConfig defaults() {
    return new ReplicaConfig(64 << 10, 60_000, 4096);
  }
}
