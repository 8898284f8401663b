package dev.weft.aggregation;

/** What an aggregator did with one input. */
public enum Verdict {
  /** Used with (at least) its nominal weight. */
  ACCEPTED,
  /** Used with a reduced weight, or only in some coordinates. */
  DOWNWEIGHTED,
  /** Not used at all (not finite, not selected, or clipped to nothing). */
  REJECTED
}
