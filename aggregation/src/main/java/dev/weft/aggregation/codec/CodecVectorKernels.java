package dev.weft.aggregation.codec;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link CodecKernels.Scalar}; byte-identical results on any lane width
 * (the preferred species is used: nothing here depends on lane layout).
 */
final class CodecVectorKernels {
  private CodecVectorKernels() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8));
  private static final int L = F.length();
  /** The largest float below 0.5: Math.round gives 0, but y + 0.5f rounds up to 1.0f. */
  private static final float BELOW_HALF = Math.nextDown(0.5f);

  static float maxAbs(float[] x, int from, int to) {
    FloatVector max = FloatVector.zero(F);
    int k = from;
    for (; k + L <= to; k += L) max = max.max(FloatVector.fromArray(F, x, k).abs());
    float m = max.reduceLanes(VectorOperators.MAX);
    for (; k < to; k++) m = Math.max(m, Math.abs(x[k]));
    return m;
  }

  static void quantise(float[] x, int from, int to, float inv, byte[] out, int at) {
    int k = from;
    for (; k + L <= to; k += L) {
      FloatVector y = FloatVector.fromArray(F, x, k).mul(inv);
      // Math.round(y) = floor(y + 1/2) taken exactly. |y| ≤ 127.5 here, so y + 0.5f is exact
      // except for y = nextDown(0.5), which Math.round sends to 0.
      FloatVector t = y.add(0.5f);
      FloatVector tr = (FloatVector) t.convert(VectorOperators.F2I, 0).convert(VectorOperators.I2F, 0);
      VectorMask<Float> over = tr.compare(VectorOperators.GT, t);
      tr = tr.sub(1f, over);
      tr = tr.blend(0f, y.compare(VectorOperators.EQ, BELOW_HALF));
      IntVector q = ((IntVector) tr.convert(VectorOperators.F2I, 0)).max(-127).min(127);
      ((ByteVector) q.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, at + k - from);
    }
    CodecKernels.Scalar.quantise(x, k, to, inv, out, at + k - from);
  }

  static int dequantise(byte[] in, int at, float scale, float[] out, int from, int to) {
    int k = from;
    for (; k + L <= to; k += L) {
      ByteVector b = ByteVector.fromArray(B, in, at + k - from);
      if (b.compare(VectorOperators.EQ, (byte) -128).anyTrue()) break;
      ((FloatVector) b.convertShape(VectorOperators.B2F, F, 0)).mul(scale).intoArray(out, k);
    }
    return CodecKernels.Scalar.dequantise(in, at + k - from, scale, out, k, to);
  }

  static int atLeast(float[] x, float t, int[] out) {
    int c = 0;
    int i = 0;
    for (; i + L <= x.length; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(F, x, i).abs().compare(VectorOperators.GE, t);
      if (!m.anyTrue()) continue;
      long bits = m.toLong();
      while (bits != 0) {
        if (c == out.length) return -1;
        out[c++] = i + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
    }
    for (; i < x.length; i++) {
      if (Math.abs(x[i]) >= t) {
        if (c == out.length) return -1;
        out[c++] = i;
      }
    }
    return c;
  }
}
