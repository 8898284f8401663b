package dev.weft.aggregation.sim;

import java.util.SplittableRandom;

/**
 * A seeded, non-IID classification task: C Gaussian clusters in F dimensions (class means drawn
 * N(0, separation²), unit noise). Worker i draws a fraction {@code skew} of its samples from its
 * two home classes (i and i+1 mod C) and the rest uniformly, so workers' gradients disagree as in
 * federated data. The test set is balanced.
 */
public final class SyntheticTask {
  public final int classes;
  public final int features;
  public final float[][][] workerX;
  public final int[][] workerY;
  public final float[][] testX;
  public final int[] testY;

  public SyntheticTask(
      long seed, int classes, int features, int workers, int samplesPerWorker, int testSize,
      double separation, double skew) {
    this.classes = classes;
    this.features = features;
    SplittableRandom r = new SplittableRandom(seed);
    double[][] means = new double[classes][features];
    for (double[] m : means) for (int j = 0; j < features; j++) m[j] = separation * r.nextGaussian();
    workerX = new float[workers][samplesPerWorker][];
    workerY = new int[workers][samplesPerWorker];
    for (int w = 0; w < workers; w++) {
      for (int s = 0; s < samplesPerWorker; s++) {
        int c = r.nextDouble() < skew ? (w + r.nextInt(2)) % classes : r.nextInt(classes);
        workerY[w][s] = c;
        workerX[w][s] = sample(means[c], r);
      }
    }
    testX = new float[testSize][];
    testY = new int[testSize];
    for (int s = 0; s < testSize; s++) {
      testY[s] = s % classes;
      testX[s] = sample(means[testY[s]], r);
    }
  }

  private static float[] sample(double[] mean, SplittableRandom r) {
    float[] x = new float[mean.length];
    for (int j = 0; j < x.length; j++) x[j] = (float) (mean[j] + r.nextGaussian());
    return x;
  }
}
