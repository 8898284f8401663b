package dev.weft.aggregation.codec;

import java.util.Arrays;

/**
 * Top-k sparsification: keeps the k = ⌈fraction·d⌉ coordinates of largest magnitude (ties to the
 * lower index) and sends their indices and values. Layout after the header: k (int32), value kind
 * (1 byte: 0 = float32, 1 = blockwise int8), the indices as LEB128 varints — the first index, then
 * each gap minus one, so indices are strictly increasing by construction — then the values (k
 * float32, or an {@link Int8BlockCodec} payload over the k values: the composable "top-k values in
 * int8").
 *
 * <p>Alone it drops most of the update; use it with {@link ErrorFeedback}, which carries what was
 * not sent into the next round so nothing is lost over time. Ratio ≈ 4/(fraction·(4 + ~2)) for
 * float32 values, ≈ 4/(fraction·(1 + ~2)) for int8 values, where ~2 bytes is a typical varint gap.
 *
 * <p>Decoding rejects k &gt; d, indices at or past d, varints that are too long or not minimal,
 * NaN/infinite values and trailing bytes.
 */
public final class TopKCodec implements Codec {
  /** How the kept values travel. */
  public enum Values {
    FLOAT32,
    INT8
  }

  private final double fraction;
  private final Values values;

  public TopKCodec(double fraction, Values values) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
    }
    this.fraction = fraction;
    this.values = java.util.Objects.requireNonNull(values);
  }

  @Override
  public byte id() {
    return ID_TOP_K;
  }

  @Override
  public String name() {
    return (values == Values.INT8 ? "topk-int8(" : "topk(") + fraction + ")";
  }

  /** k for dimension d: ⌈fraction·d⌉, at least 1 when d ≥ 1. */
  public int k(int d) {
    if (d == 0) return 0;
    return (int) Math.max(1, Math.min(d, Math.ceil(fraction * d - 1e-9)));
  }

  /** Indices cost at most one maximal varint each; values as the kind requires. */
  @Override
  public long maxEncodedBytes(int dimension) {
    int k = k(dimension);
    long values = this.values == Values.FLOAT32 ? 4L * k : Int8BlockCodec.payloadSize(k, Int8BlockCodec.DEFAULT_BLOCK);
    return HEADER_BYTES + 5L + (long) k * Wire.varintSize(Math.max(0, dimension - 1)) + values;
  }

  @Override
  public byte[] encode(float[] x) {
    Codec.requireFinite(x);
    int d = x.length;
    int k = k(d);
    int[] idx = topIndices(x, k);
    int indexBytes = 0;
    for (int i = 0; i < k; i++) indexBytes += Wire.varintSize(i == 0 ? idx[0] : idx[i] - idx[i - 1] - 1);
    float[] kept = new float[k];
    for (int i = 0; i < k; i++) kept[i] = x[idx[i]];
    int valueBytes =
        values == Values.FLOAT32 ? 4 * k : Int8BlockCodec.payloadSize(k, Int8BlockCodec.DEFAULT_BLOCK);
    Wire w = Wire.writer(HEADER_BYTES + 5 + indexBytes + valueBytes);
    Wire.writeHeader(w, ID_TOP_K, d);
    w.putI32(k);
    w.putU8(values.ordinal());
    for (int i = 0; i < k; i++) w.putVarint(i == 0 ? idx[0] : idx[i] - idx[i - 1] - 1);
    if (values == Values.FLOAT32) {
      for (float v : kept) w.putF32(v);
    } else {
      Int8BlockCodec.writePayload(w, kept, Int8BlockCodec.DEFAULT_BLOCK);
    }
    return w.buf;
  }

  @Override
  public float[] decode(byte[] data, int expectedDimension) throws MalformedUpdateException {
    return decodeAny(data, expectedDimension);
  }

  static float[] decodeAny(byte[] data, int expectedDimension) throws MalformedUpdateException {
    Wire w = new Wire(data, 0);
    int d = Wire.readHeader(w, ID_TOP_K, expectedDimension);
    int k = w.i32("k");
    if (k < 0 || k > d) throw new MalformedUpdateException("k " + k + " outside [0, " + d + "]");
    int kind = w.u8("value kind");
    if (kind > 1) throw new MalformedUpdateException("unknown value kind " + kind);
    w.need(k, "indices"); // at least one byte each: bounds the allocation below
    int[] idx = new int[k];
    long at = -1;
    for (int i = 0; i < k; i++) {
      long gap = w.varint("index");
      at = i == 0 ? gap : at + gap + 1;
      if (at >= d) throw new MalformedUpdateException("index " + at + " outside [0, " + d + ")");
      idx[i] = (int) at;
    }
    float[] vals;
    if (kind == 0) {
      w.need(4L * k, "float32 values");
      vals = new float[k];
      for (int i = 0; i < k; i++) {
        vals[i] = w.f32("value");
        if (!Float.isFinite(vals[i])) throw new MalformedUpdateException("NaN or infinity at index " + idx[i]);
      }
    } else {
      vals = Int8BlockCodec.readPayload(w, k);
    }
    Wire.requireConsumed(w);
    float[] out = new float[d];
    for (int i = 0; i < k; i++) out[idx[i]] = vals[i];
    return out;
  }

  /** Below this d, or above k = d/16, the plain selection over all of x is as fast. */
  static final int SAMPLED_MIN_D = 1 << 15;

  private static final int SAMPLE = 1 << 14;

  /**
   * Indices of the k largest |x|, ascending; among equal magnitudes the lower indices win. For
   * large d: a strided sample of 2¹⁴ magnitudes gives a threshold t that about 2k values exceed;
   * one vectorised pass collects every index with |x| ≥ t; if there are at least k of them they
   * hold the whole answer (the k-th largest is then ≥ t), which is selected exactly among them.
   * Otherwise (a sample that misled, many equal values) it falls back to selecting over all of x.
   * Either way the result is the same.
   */
  static int[] topIndices(float[] x, int k) {
    int d = x.length;
    if (k == 0) return new int[0];
    if (d < SAMPLED_MIN_D || k > d / 16) return topIndicesExact(x, k);
    float[] sample = new float[SAMPLE];
    long stride = d / SAMPLE;
    for (int i = 0; i < SAMPLE; i++) sample[i] = Math.abs(x[(int) (i * stride)]);
    int rank = (int) Math.min(SAMPLE, Math.ceil(2.0 * k * SAMPLE / d) + 16);
    float t = kthLargest(sample, rank);
    int[] candidates = new int[(int) Math.min(d, 4L * k + 4096)];
    int c = CodecKernels.atLeast(x, t, candidates);
    if (c < k) return topIndicesExact(x, k); // also c == -1: more candidates than room
    float[] mag = new float[c];
    for (int j = 0; j < c; j++) mag[j] = Math.abs(x[candidates[j]]);
    float threshold = kthLargest(mag, k);
    int above = 0;
    for (int j = 0; j < c; j++) if (Math.abs(x[candidates[j]]) > threshold) above++;
    int ties = k - above;
    int[] out = new int[k];
    int n = 0;
    for (int j = 0; j < c && n < k; j++) {
      int i = candidates[j];
      float a = Math.abs(x[i]);
      if (a > threshold || (a == threshold && ties-- > 0)) out[n++] = i;
    }
    return out;
  }

  /** {@link #topIndices} by selection over all of x. */
  static int[] topIndicesExact(float[] x, int k) {
    int[] out = new int[k];
    if (k == 0) return out;
    float[] mag = new float[x.length];
    for (int i = 0; i < x.length; i++) mag[i] = Math.abs(x[i]);
    float threshold = kthLargest(mag, k);
    int above = 0;
    for (float v : x) if (Math.abs(v) > threshold) above++;
    int ties = k - above;
    int c = 0;
    for (int i = 0; i < x.length && c < k; i++) {
      float a = Math.abs(x[i]);
      if (a > threshold || (a == threshold && ties-- > 0)) out[c++] = i;
    }
    return out;
  }

  /** The k-th largest of a (1-based), reordering a. Quickselect; falls back to sorting. */
  static float kthLargest(float[] a, int k) {
    int target = a.length - k; // index in ascending order
    int lo = 0, hi = a.length - 1;
    int budget = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 8;
    while (hi > lo) {
      if (budget-- == 0) {
        Arrays.sort(a, lo, hi + 1);
        return a[target];
      }
      int mid = (lo + hi) >>> 1;
      float p = median3(a[lo], a[mid], a[hi]);
      int i = lo, j = hi;
      while (i <= j) {
        while (a[i] < p) i++;
        while (a[j] > p) j--;
        if (i <= j) {
          float t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else return a[target];
    }
    return a[target];
  }

  private static float median3(float a, float b, float c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
