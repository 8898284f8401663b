package dev.weft.aggregation.codec;

/**
 * The codecs' per-value loops, with Vector API versions that give the same bytes as the scalar
 * ones: quantisation is element-wise (the same float multiply, then Math.round's rounding), and the
 * only reductions are maxima, which do not depend on order. Off when {@code jdk.incubator.vector}
 * is not in the boot layer, or with {@code -Dweft.codec.scalar=true}.
 */
final class CodecKernels {
  private CodecKernels() {}

  static final boolean VECTOR =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && !Boolean.getBoolean("weft.codec.scalar");

  /** max |x[from, to)|. */
  static float maxAbs(float[] x, int from, int to) {
    return VECTOR ? CodecVectorKernels.maxAbs(x, from, to) : Scalar.maxAbs(x, from, to);
  }

  /** out[at + k − from] = clamp(Math.round(x[k]·inv), −127, 127) for k in [from, to). */
  static void quantise(float[] x, int from, int to, float inv, byte[] out, int at) {
    if (VECTOR) CodecVectorKernels.quantise(x, from, to, inv, out, at);
    else Scalar.quantise(x, from, to, inv, out, at);
  }

  /** Writes the indices i in [0, n) with |x[i]| ≥ t, ascending, into out; returns how many (≤ out.length, else −1). */
  static int atLeast(float[] x, float t, int[] out) {
    return VECTOR ? CodecVectorKernels.atLeast(x, t, out) : Scalar.atLeast(x, t, out);
  }

  /**
   * out[k] = q·scale for the signed bytes q = in[at + k − from], k in [from, to); returns the
   * first k whose byte is −128 (not canonical), or −1.
   */
  static int dequantise(byte[] in, int at, float scale, float[] out, int from, int to) {
    return VECTOR ? CodecVectorKernels.dequantise(in, at, scale, out, from, to) : Scalar.dequantise(in, at, scale, out, from, to);
  }

  static final class Scalar {
    static int dequantise(byte[] in, int at, float scale, float[] out, int from, int to) {
      for (int k = from; k < to; k++) {
        int q = in[at + k - from];
        if (q == -128) return k;
        out[k] = q * scale;
      }
      return -1;
    }

    private Scalar() {}

    static float maxAbs(float[] x, int from, int to) {
      float max = 0;
      for (int k = from; k < to; k++) max = Math.max(max, Math.abs(x[k]));
      return max;
    }

    static void quantise(float[] x, int from, int to, float inv, byte[] out, int at) {
      for (int k = from; k < to; k++) {
        int q = Math.round(x[k] * inv);
        q = Math.max(-127, Math.min(127, q));
        out[at + k - from] = (byte) q;
      }
    }

    static int atLeast(float[] x, float t, int[] out) {
      int c = 0;
      for (int i = 0; i < x.length; i++) {
        if (Math.abs(x[i]) >= t) {
          if (c == out.length) return -1;
          out[c++] = i;
        }
      }
      return c;
    }
  }
}
