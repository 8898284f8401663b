package dev.weft.aggregation.sim;

import java.util.SplittableRandom;

/**
 * Multinomial logistic regression over a flat parameter vector θ = [W (C×F row-major), b (C)]:
 * the model the simulation trains. Minibatch SGD on cross-entropy.
 */
public final class SoftmaxModel {
  private final int classes;
  private final int features;

  public SoftmaxModel(int classes, int features) {
    this.classes = classes;
    this.features = features;
  }

  public int parameters() {
    return classes * (features + 1);
  }

  /** Runs {@code steps} minibatch SGD steps on (x, y) from θ, in place. */
  public void train(
      float[] theta, float[][] x, int[] y, int steps, int batch, double lr, SplittableRandom r) {
    double[] grad = new double[theta.length];
    double[] p = new double[classes];
    for (int step = 0; step < steps; step++) {
      java.util.Arrays.fill(grad, 0);
      for (int b = 0; b < batch; b++) {
        int s = r.nextInt(x.length);
        probabilities(theta, x[s], p);
        for (int c = 0; c < classes; c++) {
          double g = p[c] - (c == y[s] ? 1 : 0);
          int row = c * features;
          for (int j = 0; j < features; j++) grad[row + j] += g * x[s][j];
          grad[classes * features + c] += g;
        }
      }
      for (int i = 0; i < theta.length; i++) theta[i] -= (float) (lr * grad[i] / batch);
    }
  }

  /** Fraction of (x, y) classified correctly; a non-finite model gets nothing right. */
  public double accuracy(float[] theta, float[][] x, int[] y) {
    double[] logits = new double[classes];
    int right = 0;
    for (int s = 0; s < x.length; s++) {
      logits(theta, x[s], logits);
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        if (Double.isFinite(logits[c]) && logits[c] > bestValue) {
          bestValue = logits[c];
          best = c;
        }
      }
      if (best == y[s]) right++;
    }
    return (double) right / x.length;
  }

  private void logits(float[] theta, float[] x, double[] out) {
    for (int c = 0; c < classes; c++) {
      double z = theta[classes * features + c];
      int row = c * features;
      for (int j = 0; j < features; j++) z += theta[row + j] * (double) x[j];
      out[c] = z;
    }
  }

  private void probabilities(float[] theta, float[] x, double[] p) {
    logits(theta, x, p);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : p) max = Math.max(max, v);
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = Math.exp(p[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < classes; c++) p[c] /= sum;
  }
}
