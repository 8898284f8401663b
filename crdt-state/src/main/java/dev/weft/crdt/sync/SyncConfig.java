package dev.weft.crdt.sync;

/**
 * Limits and timing of anti-entropy.
 *
 * @param maxFrameBytes largest frame read or written (a digest or a chunk of deltas)
 * @param maxSessionBytes deltas sent to one peer in one session (the rest waits for the next)
 * @param maxFramesPerSession frames accepted from one peer in one session
 * @param maxRejectsPerSession invalid deltas from one peer before the session is dropped
 * @param maxWriters writer entries in a digest
 * @param maxExtrasPerWriter out-of-prefix seqs per digest entry
 * @param readTimeoutMillis longest wait for the peer's next frame
 * @param periodMillis interval between sessions with a random connected peer
 */
public record SyncConfig(int maxFrameBytes, long maxSessionBytes, int maxFramesPerSession, int maxRejectsPerSession,
    int maxWriters, int maxExtrasPerWriter, long readTimeoutMillis, long periodMillis) {
  public SyncConfig {
    if (maxFrameBytes < 1024) throw new IllegalArgumentException("maxFrameBytes < 1024");
    if (maxSessionBytes < maxFrameBytes) throw new IllegalArgumentException("maxSessionBytes < maxFrameBytes");
    if (maxFramesPerSession < 3 || maxRejectsPerSession < 0 || maxWriters < 1 || maxExtrasPerWriter < 0) {
      throw new IllegalArgumentException("bad session limits");
    }
    if (readTimeoutMillis < 1 || periodMillis < 1) throw new IllegalArgumentException("timeouts must be positive");
  }

  public static SyncConfig defaults() {
    return new SyncConfig(1 << 20, 64L << 20, 4096, 16, 100_000, 4096, 10_000, 30_000);
  }
}
