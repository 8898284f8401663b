package dev.weft.aggregation;

/**
 * A clipping radius τ: either a fixed value, or a multiple of the median (lower median) of the
 * inputs' distances to the centre, which adapts to the scale of the pseudo-gradients round by
 * round. The median cannot be moved far by fewer than half of the inputs.
 */
public record ClipRadius(double absolute, double medianMultiple) {
  public ClipRadius {
    boolean abs = absolute > 0 && !Double.isInfinite(absolute);
    boolean rel = medianMultiple > 0 && !Double.isInfinite(medianMultiple);
    if (abs == rel) {
      throw new IllegalArgumentException(
          "give exactly one positive finite radius: absolute=" + absolute + ", medianMultiple=" + medianMultiple);
    }
  }

  public static ClipRadius absolute(double tau) {
    return new ClipRadius(tau, 0);
  }

  public static ClipRadius medianMultiple(double k) {
    return new ClipRadius(0, k);
  }

  /** τ for these distances. */
  double resolve(double[] distances) {
    return absolute > 0 ? absolute : medianMultiple * Distances.lowerMedian(distances);
  }

  /** min(1, τ/‖·‖) for each distance; an input at distance 0 keeps factor 1. */
  static double[] factors(double tau, double[] distances) {
    double[] c = new double[distances.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = distances[i] <= tau ? 1.0 : tau / distances[i];
    }
    return c;
  }

  @Override
  public String toString() {
    return absolute > 0 ? "tau=" + absolute : "tau=" + medianMultiple + "*median";
  }
}
