package dev.weft.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * Loops shared by the aggregators. Every reduction here has a fixed association order (eight
 * interleaved double lane sums combined in a fixed tree) so that results are bit-identical on every
 * JVM: Java floating point is strict, and the order is written out. Element-wise loops are left to
 * C2's auto-vectoriser (measured faster here than hand-written Vector API code); reductions, which
 * C2 will not vectorise under strict ordering, use the Vector API when it is available ({@link
 * VectorKernels}), with the same results.
 */
final class Kernels {
  private Kernels() {}

  static final int EXP_MASK = 0x7f800000;

  /**
   * Whether the Vector API versions run. They are bit-identical to the scalar loops below (same
   * lane-wise operations, same association), so this changes speed, never results. Off when the
   * {@code jdk.incubator.vector} module is not in the boot layer, or with
   * {@code -Dweft.aggregation.scalar=true}.
   */
  static final boolean VECTOR =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !Boolean.getBoolean("weft.aggregation.scalar");

  /** True if no element of {@code a[off, off+len)} is NaN or infinite. */
  static boolean allFinite(float[] a, int off, int len) {
    return VECTOR ? VectorKernels.allFinite(a, off, len) : Scalar.allFinite(a, off, len);
  }

  /**
   * Σ (a[ao+k] − b[bo+k])² over k in [0, len), in double. Association: eight lane sums (lane j
   * takes k ≡ j mod 8 below the last multiple of 8, lane 0 then takes the tail in order), combined
   * as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)).
   */
  static double sumSquaredDiff(float[] a, int ao, float[] b, int bo, int len) {
    return VECTOR
        ? VectorKernels.sumSquaredDiff(a, ao, b, bo, len)
        : Scalar.sumSquaredDiff(a, ao, b, bo, len);
  }

  /** Σ a[ao+k]² over k in [0, len), in double, associated as {@link #sumSquaredDiff}. */
  static double sumSquares(float[] a, int ao, int len) {
    return VECTOR ? VectorKernels.sumSquares(a, ao, len) : Scalar.sumSquares(a, ao, len);
  }

  /** acc[k] += a[ao+k]. */
  static void add(double[] acc, float[] a, int ao, int len) {
    Scalar.add(acc, a, ao, len);
  }

  /** acc[k] = (((acc[k] + a[k]) + b[k]) + c[k]) + d[k] (offsets per array): four adds in one sweep. */
  static void add4(double[] acc, float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d, int dof, int len) {
    Scalar.add4(acc, a, ao, b, bo, c, co, d, dof, len);
  }

  /** True if no element of {@code a[0, len)} is NaN or infinite. */
  static boolean allFinite(double[] a, int len) {
    long max = 0;
    for (int k = 0; k < len; k++) {
      max = Math.max(max, Double.doubleToRawLongBits(a[k]) & 0x7ff0000000000000L);
    }
    return max != 0x7ff0000000000000L;
  }

  /** acc[k] += c·a[ao+k]. */
  static void addScaled(double[] acc, double c, float[] a, int ao, int len) {
    Scalar.addScaled(acc, c, a, ao, len);
  }

  /** acc[k] += c·(a[ao+k] − v[vo+k]), the difference taken in double. */
  static void addScaledDiff(double[] acc, double c, float[] a, int ao, float[] v, int vo, int len) {
    Scalar.addScaledDiff(acc, c, a, ao, v, vo, len);
  }

  /** How many k in [0, len) have a[ao+k] &lt; lo[k] or a[ao+k] &gt; hi[k]. */
  static int countOutside(float[] a, int ao, float[] lo, float[] hi, int len) {
    return VECTOR
        ? VectorKernels.countOutside(a, ao, lo, hi, len)
        : Scalar.countOutside(a, ao, lo, hi, len);
  }

  static double combine8(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** The reference loops; {@link VectorKernels} must match them bit for bit. */
  static final class Scalar {
    private Scalar() {}

    static boolean allFinite(float[] a, int off, int len) {
      int max = 0;
      for (int k = off, end = off + len; k < end; k++) {
        max = Math.max(max, Float.floatToRawIntBits(a[k]) & EXP_MASK);
      }
      return max != EXP_MASK;
    }

    static double sumSquaredDiff(float[] a, int ao, float[] b, int bo, int len) {
      double[] s = new double[8];
      int k = 0;
      for (; k + 8 <= len; k += 8) {
        for (int j = 0; j < 8; j++) {
          double d = (double) a[ao + k + j] - b[bo + k + j];
          s[j] += d * d;
        }
      }
      for (; k < len; k++) {
        double d = (double) a[ao + k] - b[bo + k];
        s[0] += d * d;
      }
      return combine8(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }

    static double sumSquares(float[] a, int ao, int len) {
      double[] s = new double[8];
      int k = 0;
      for (; k + 8 <= len; k += 8) {
        for (int j = 0; j < 8; j++) {
          double d = a[ao + k + j];
          s[j] += d * d;
        }
      }
      for (; k < len; k++) {
        double d = a[ao + k];
        s[0] += d * d;
      }
      return combine8(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }

    static void add(double[] acc, float[] a, int ao, int len) {
      for (int k = 0; k < len; k++) acc[k] += a[ao + k];
    }

    static void add4(double[] acc, float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d, int dof, int len) {
      for (int k = 0; k < len; k++) acc[k] = (((acc[k] + a[ao + k]) + b[bo + k]) + c[co + k]) + d[dof + k];
    }

    static void addScaled(double[] acc, double c, float[] a, int ao, int len) {
      for (int k = 0; k < len; k++) acc[k] += c * a[ao + k];
    }

    static void addScaledDiff(double[] acc, double c, float[] a, int ao, float[] v, int vo, int len) {
      for (int k = 0; k < len; k++) acc[k] += c * ((double) a[ao + k] - v[vo + k]);
    }

    static int countOutside(float[] a, int ao, float[] lo, float[] hi, int len) {
      int c = 0;
      for (int k = 0; k < len; k++) {
        float v = a[ao + k];
        c += (v < lo[k] | v > hi[k]) ? 1 : 0;
      }
      return c;
    }

    /** Keys of a, b, c, d at [.o, .o+len) written to k*[kOff, kOff+len), each column sorted. */
    static void toKeysSorted4(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d, int dof,
        int[] ka, int[] kb, int[] kc, int[] kd, int kOff, int len) {
      for (int k = 0; k < len; k++) {
        int x0 = key(Float.floatToRawIntBits(a[ao + k])), x1 = key(Float.floatToRawIntBits(b[bo + k]));
        int x2 = key(Float.floatToRawIntBits(c[co + k])), x3 = key(Float.floatToRawIntBits(d[dof + k]));
        int t;
        t = Math.min(x0, x1); x1 = Math.max(x0, x1); x0 = t;
        t = Math.min(x2, x3); x3 = Math.max(x2, x3); x2 = t;
        t = Math.min(x0, x2); x2 = Math.max(x0, x2); x0 = t;
        t = Math.min(x1, x3); x3 = Math.max(x1, x3); x1 = t;
        t = Math.min(x1, x2); x2 = Math.max(x1, x2); x1 = t;
        ka[kOff + k] = x0;
        kb[kOff + k] = x1;
        kc[kOff + k] = x2;
        kd[kOff + k] = x3;
      }
    }

    /** {@link Kernels#merge8} on positions [from, len). */
    static void merge8(int[] r0, int[] r1, int[] r2, int[] r3, int[] r4, int[] r5, int[] r6, int[] r7, int from, int len) {
      int[][] r = {r0, r1, r2, r3, r4, r5, r6, r7};
      for (int c = 0; c < MERGE8.length; c += 2) {
        int[] lo = r[MERGE8[c]], hi = r[MERGE8[c + 1]];
        for (int k = from; k < len; k++) {
          int x = lo[k], y = hi[k];
          lo[k] = Math.min(x, y);
          hi[k] = Math.max(x, y);
        }
      }
    }

    static void minMax(float[] lo, float[] hi, int len) {
      for (int k = 0; k < len; k++) {
        float x = lo[k], y = hi[k];
        lo[k] = Math.min(x, y);
        hi[k] = Math.max(x, y);
      }
    }
  }

  /** Adds per-chunk partials {@code partial[c][i]} in chunk order into one value per i. */
  static double[] sumChunks(double[][] partial, int width) {
    double[] total = new double[width];
    for (double[] p : partial) for (int i = 0; i < width; i++) total[i] += p[i];
    return total;
  }

  /**
   * Comparators (pairs i&lt;j: after it, element i ≤ element j) of Batcher's odd–even merge sort
   * for n elements. Built for the next power of two; comparators touching padding are dropped,
   * which is valid because padding would be +∞ at the end and never moves.
   */
  static int[] sortingNetwork(int n) {
    int p = 1;
    while (p < n) p <<= 1;
    List<int[]> pairs = new ArrayList<>();
    for (int size = 1; size < p; size <<= 1) {
      for (int k = size; k >= 1; k >>= 1) {
        for (int j = k % size; j + k < p; j += 2 * k) {
          for (int i = 0; i < Math.min(k, p - j - k); i++) {
            int a = i + j, b = i + j + k;
            if ((a / (2 * size)) == (b / (2 * size)) && b < n) pairs.add(new int[] {a, b});
          }
        }
      }
    }
    int[] flat = new int[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      flat[2 * i] = pairs.get(i)[0];
      flat[2 * i + 1] = pairs.get(i)[1];
    }
    return flat;
  }

  /**
   * The comparators of {@link #sortingNetwork}(n) that can influence output positions
   * [fromRank, toRank]: walking the network backwards, a comparator is kept if it touches a wire
   * whose value still reaches one of those outputs. After it, positions fromRank..toRank hold
   * exactly the values a full sort puts there; the other positions hold an unspecified
   * permutation of the rest.
   */
  static int[] selectionNetwork(int n, int fromRank, int toRank) {
    return prune(sortingNetwork(n), n, fromRank, toRank);
  }

  private static int[] prune(int[] full, int n, int fromRank, int toRank) {
    boolean[] live = new boolean[n];
    for (int r = fromRank; r <= toRank; r++) live[r] = true;
    boolean[] keep = new boolean[full.length / 2];
    int kept = 0;
    for (int c = full.length / 2 - 1; c >= 0; c--) {
      int a = full[2 * c], b = full[2 * c + 1];
      if (live[a] || live[b]) {
        keep[c] = true;
        live[a] = live[b] = true;
        kept++;
      }
    }
    int[] out = new int[2 * kept];
    for (int c = 0, o = 0; c < keep.length; c++) {
      if (keep[c]) {
        out[o++] = full[2 * c];
        out[o++] = full[2 * c + 1];
      }
    }
    return out;
  }

  /**
   * The order-preserving integer key of a float's bits: for non-NaN floats, key(x) &lt; key(y) as
   * signed ints exactly when {@code Float.compare(x, y) < 0} (so −0.0 sorts before +0.0, as with
   * {@code Math.min}). It is its own inverse.
   */
  static int key(int bits) {
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  /** Keys of −Float.MAX_VALUE and Float.MAX_VALUE: every finite float's key lies between them. */
  static final int MIN_FINITE_KEY = key(Float.floatToRawIntBits(-Float.MAX_VALUE));
  static final int MAX_FINITE_KEY = key(Float.floatToRawIntBits(Float.MAX_VALUE));

  /** True if every lo[k] ≥ MIN_FINITE_KEY and hi[k] ≤ MAX_FINITE_KEY, k in [0, len). */
  static boolean keysFinite(int[] lo, int[] hi, int len) {
    int mn = Integer.MAX_VALUE, mx = Integer.MIN_VALUE;
    for (int k = 0; k < len; k++) {
      mn = Math.min(mn, lo[k]);
      mx = Math.max(mx, hi[k]);
    }
    return mn >= MIN_FINITE_KEY && mx <= MAX_FINITE_KEY;
  }

  /** dst[k] = key(bits of a[ao+k]). */
  static void toKeys(float[] a, int ao, int[] dst, int len) {
    if (VECTOR) {
      VectorKernels.toKeys(a, ao, dst, len);
      return;
    }
    for (int k = 0; k < len; k++) {
      int bits = Float.floatToRawIntBits(a[ao + k]);
      dst[k] = bits ^ ((bits >> 31) & 0x7fffffff);
    }
  }

  /** dst[dstOff+k] = the float whose key is src[k]. */
  static void fromKeys(int[] src, float[] dst, int dstOff, int len) {
    if (VECTOR) {
      VectorKernels.fromKeys(src, dst, dstOff, len);
      return;
    }
    for (int k = 0; k < len; k++) {
      int x = src[k];
      dst[dstOff + k] = Float.intBitsToFloat(x ^ ((x >> 31) & 0x7fffffff));
    }
  }

  /** Applies a comparator network lane-wise to integer keys (one min/max instruction each). */
  static void sortColumns(int[][] rows, int[] network, int len) {
    for (int c = 0; c < network.length; c += 2) {
      int[] lo = rows[network[c]], hi = rows[network[c + 1]];
      for (int k = 0; k < len; k++) {
        int x = lo[k], y = hi[k];
        lo[k] = Math.min(x, y);
        hi[k] = Math.max(x, y);
      }
    }
  }

  /**
   * Keys (see {@link #key}) of four rows, each column of four sorted: the first two stages of
   * {@link #sortingNetwork} on an aligned group of four wires (its first five comparators there),
   * fused with the key conversion so the values are loaded and stored once.
   */
  static void toKeysSorted4(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] d, int dof,
      int[] ka, int[] kb, int[] kc, int[] kd, int len) {
    if (VECTOR) VectorKernels.toKeysSorted4(a, ao, b, bo, c, co, d, dof, ka, kb, kc, kd, len);
    else Scalar.toKeysSorted4(a, ao, b, bo, c, co, d, dof, ka, kb, kc, kd, 0, len);
  }

  /**
   * {@link #selectionNetwork} without the comparators of the sorting network's first two stages
   * (sorting each aligned group of four wires), for n a multiple of 4: those run fused in {@link
   * #toKeysSorted4}. Sorting a group fully is never wrong: a comparator that pruning dropped only
   * changes wires that no longer reach the requested ranks.
   */
  static int[] selectionNetworkAfterSorted4(int n, int fromRank, int toRank) {
    if (n % 4 != 0) throw new IllegalArgumentException("n = " + n + " is not a multiple of 4");
    int[] full = sortingNetwork(n);
    int first = 5 * (n / 4);
    for (int c = 0; c < first; c++) {
      int a = full[2 * c], b = full[2 * c + 1];
      if (a / 4 != b / 4) throw new IllegalStateException("network does not start with 4-sorts");
    }
    int[] rest = java.util.Arrays.copyOfRange(full, 2 * first, full.length);
    return prune(rest, n, fromRank, toRank);
  }

  /** Batcher's merge of two sorted groups of four (the third stage of {@link #sortingNetwork}). */
  static final int[] MERGE8 = {0, 4, 1, 5, 2, 6, 3, 7, 2, 4, 3, 5, 1, 2, 3, 4, 5, 6};

  /**
   * Merges rows r0..r3 and r4..r7 (each column of each four sorted) in place so that each column
   * of the eight is sorted: {@link #MERGE8} with the eight values of a lane group held in
   * registers, so each is loaded and stored once.
   */
  static void merge8(int[] r0, int[] r1, int[] r2, int[] r3, int[] r4, int[] r5, int[] r6, int[] r7, int len) {
    if (VECTOR) VectorKernels.merge8(r0, r1, r2, r3, r4, r5, r6, r7, len);
    else Scalar.merge8(r0, r1, r2, r3, r4, r5, r6, r7, 0, len);
  }

  /**
   * {@link #selectionNetwork} without the comparators of the sorting network's first three
   * stages (sorting each aligned group of eight wires), for n a multiple of 8: those run as
   * {@link #toKeysSorted4} and {@link #merge8}. Any network that sorts each group of eight
   * leaves the same values there, and the later stages only need each group sorted; dropped
   * comparators are harmless as in {@link #selectionNetworkAfterSorted4}.
   */
  static int[] selectionNetworkAfterSorted8(int n, int fromRank, int toRank) {
    if (n % 8 != 0) throw new IllegalArgumentException("n = " + n + " is not a multiple of 8");
    int[] full = sortingNetwork(n);
    int first = 19 * (n / 8);
    for (int c = 0; c < first; c++) {
      int a = full[2 * c], b = full[2 * c + 1];
      if (a / 8 != b / 8) throw new IllegalStateException("network does not start with 8-sorts");
    }
    return prune(java.util.Arrays.copyOfRange(full, 2 * first, full.length), n, fromRank, toRank);
  }

  /** Applies a comparator network lane-wise: each column k of rows[·][0, len) ends sorted. */
  static void sortColumns(float[][] rows, int[] network, int len) {
    for (int c = 0; c < network.length; c += 2) {
      float[] lo = rows[network[c]], hi = rows[network[c + 1]];
      Scalar.minMax(lo, hi, len);
    }
  }
}
