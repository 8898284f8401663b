package dev.weft.p2p.api;

/**
 * Where a service accounts for what a peer makes it hold (buffered bytes, open streams), so one
 * host-wide resource manager can refuse what would exceed its limits. Reserve before holding and
 * release in a {@code finally} (or when the stream closes); a refusal is not an error of ours: drop
 * or reset whatever asked.
 *
 * <p>Until a resource manager is installed the host's scope is {@link #UNLIMITED}, which grants
 * everything; services keep their own per-peer bounds meanwhile.
 */
public interface ResourceScope {
  /** Grants every reservation; releases are no-ops. */
  ResourceScope UNLIMITED = new ResourceScope() {
    @Override public boolean reserveMemory(PeerId peer, String protocol, long bytes) {
      return true;
    }

    @Override public void releaseMemory(PeerId peer, String protocol, long bytes) {}

    @Override public boolean reserveStream(PeerId peer, String protocol) {
      return true;
    }

    @Override public void releaseStream(PeerId peer, String protocol) {}
  };

  /** Asks to hold {@code bytes} more for {@code protocol} on behalf of {@code peer}; false: refused. */
  boolean reserveMemory(PeerId peer, String protocol, long bytes);

  /**
   * Gives back {@code bytes} reserved for {@code peer} and {@code protocol}: at most what this
   * scope holds for them (a release beyond it, or a negative one, returns nothing more), so a
   * caller's miscount cannot free what others hold.
   */
  void releaseMemory(PeerId peer, String protocol, long bytes);

  /** Asks to keep one more {@code protocol} stream with {@code peer} open; false: refused. */
  boolean reserveStream(PeerId peer, String protocol);

  /** Gives back one {@code protocol} stream with {@code peer}; nothing if this scope holds none for them. */
  void releaseStream(PeerId peer, String protocol);
}
