package dev.weft.aggregation;

/**
 * The diagnostic for one input.
 *
 * @param key the input's key
 * @param verdict accepted, down-weighted or rejected
 * @param influence how much of its nominal weight the input kept, in [0, 1]: 1 means used fully, 0
 *     means ignored. Each aggregator documents how it measures this (a clipping factor, a fraction of
 *     coordinates kept, a Weiszfeld weight relative to the most trusted input...)
 * @param reason a short human-readable explanation; empty when accepted
 */
public record InputReport(String key, Verdict verdict, double influence, String reason) {
  /** Influence at or above this counts as accepted: leaves room for rounding in the measures. */
  public static final double ACCEPT_THRESHOLD = 0.999;

  static InputReport fromInfluence(String key, double influence, String reason) {
    double clamped = Math.max(0, Math.min(1, influence));
    Verdict v =
        clamped >= ACCEPT_THRESHOLD
            ? Verdict.ACCEPTED
            : clamped == 0 ? Verdict.REJECTED : Verdict.DOWNWEIGHTED;
    return new InputReport(key, v, clamped, v == Verdict.ACCEPTED ? "" : reason);
  }
}
