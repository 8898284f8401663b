package dev.weft.node.round;

/** A timer the machine asked for; stale ones (another round or view) are ignored when they fire. */
public record TimerId(Kind kind, long round, int view) {
  public enum Kind {
    /** The contribution cut-off: send the availability report. */
    CUTOFF,
    /** A view's timeout: move to the next view. */
    VIEW,
    /** No certificate yet: ask a peer for it. */
    SYNC
  }
}
