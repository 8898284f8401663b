package dev.weft.aggregation;

import java.util.Arrays;

/**
 * Bucketing (Karimireddy, He, Jaggi, "Byzantine-Robust Learning on Heterogeneous Datasets via
 * Bucketing", ICLR 2022): shuffle the inputs with a seeded permutation, average them in buckets of
 * s, and give the ⌈n/s⌉ bucket means to an inner rule. Averaging shrinks the honest spread that
 * non-IID data creates, which is what ALIE-style attacks hide in; the price is that f Byzantine
 * inputs can now spoil up to f buckets out of n/s, so the inner rule must tolerate a fraction s·f/n.
 *
 * <p>The permutation must be the same on every peer: it comes from {@code seed} (e.g. derived from
 * the previous round's certificate, which no contributor can choose) through SplitMix64 and a
 * Fisher–Yates shuffle of the key-sorted inputs, both fully specified here so that other
 * implementations can reproduce it. A bucket's weight is the sum of its members' weights.
 *
 * <p>Cost: the inner rule's cost on n/s rows plus one n·d averaging per inner pass (bucket means
 * are recomputed chunk by chunk rather than stored); memory O((n/s)·chunk) per thread.
 *
 * <p>Influence of an input: the influence its bucket got from the inner rule.
 */
public final class Bucketing extends Aggregator {
  private final int s;
  private final Aggregator inner;
  private final long seed;

  public Bucketing(int s, Aggregator inner, long seed) {
    if (s < 1 || s > 1024) throw new IllegalArgumentException("bucket size must be in [1, 1024]: " + s);
    this.s = s;
    this.inner = java.util.Objects.requireNonNull(inner);
    this.seed = seed;
  }

  /** The same rule with another seed (one per round). */
  public Bucketing withSeed(long newSeed) {
    return new Bucketing(s, inner, newSeed);
  }

  @Override
  Aggregator forRound(long newSeed, float[] previous) {
    return new Bucketing(s, inner.forRound(newSeed, previous), newSeed);
  }

  @Override
  public String name() {
    return "bucketing(s=" + s + "," + inner.name() + ")";
  }

  /** Enough inputs that the inner rule gets its minimum number of buckets. */
  @Override
  public int minInputs() {
    return (inner.minInputs() - 1) * s + 1;
  }

  @Override
  Computed compute(Rows rows, double[] weights, ChunkRunner runner) {
    int n = rows.n;
    int[] perm = permutation(n, seed);
    int buckets = (n + s - 1) / s;
    int[][] members = new int[buckets][];
    double[] bucketWeights = new double[buckets];
    int[] bucketOf = new int[n];
    for (int b = 0; b < buckets; b++) {
      members[b] = Arrays.copyOfRange(perm, b * s, Math.min(n, (b + 1) * s));
      for (int m : members[b]) {
        bucketWeights[b] += weights[m];
        bucketOf[m] = b;
      }
    }
    Computed c = inner.compute(new BucketRows(rows, members, weights), bucketWeights, runner);
    if (c == null) return null;
    double[] influence = new double[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      influence[i] = c.influence()[bucketOf[i]];
      reasons[i] = "in bucket " + bucketOf[i] + ": " + c.reason(bucketOf[i]);
    }
    return new Computed(c.out(), influence, reasons);
  }

  /**
   * The permutation of 0..n−1 used for {@code seed}: Fisher–Yates from the last index down, drawing
   * j = (next SplitMix64 output, unsigned) mod (i+1). The modulo bias (below 2⁻⁵⁰ for n ≤ 2¹⁴) does
   * not matter for bucketing; what matters is that every peer gets the same permutation.
   */
  static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    long state = seed;
    for (int i = n - 1; i > 0; i--) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      int j = (int) Long.remainderUnsigned(z, i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
