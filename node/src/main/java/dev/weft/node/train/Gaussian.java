package dev.weft.node.train;

import java.util.SplittableRandom;

/**
 * Seeded standard normal numbers by the Box–Muller transform, written out here so the sequence
 * depends only on {@link SplittableRandom}'s specified algorithm, not on a JDK's choice of
 * Gaussian sampler: every peer initialises the same model to the same bits.
 */
final class Gaussian {
  private final SplittableRandom random;
  private double spare = Double.NaN;

  Gaussian(long seed) {
    random = new SplittableRandom(seed);
  }

  double next() {
    if (!Double.isNaN(spare)) {
      double s = spare;
      spare = Double.NaN;
      return s;
    }
    double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
    double u2 = random.nextDouble();
    double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
    spare = r * StrictMath.sin(2 * Math.PI * u2);
    return r * StrictMath.cos(2 * Math.PI * u2);
  }
}
