package dev.weft.aggregation.codec;

/**
 * bfloat16: the top 16 bits of each float32, rounded to nearest even. Layout after the header: d
 * little-endian uint16. Ratio 2 (less 6 header bytes).
 *
 * <p>Error: half a unit in the last place, |x − decode(encode(x))| ≤ 2⁻⁸·|x| for normal values (8
 * significant bits), and below 2⁻¹³⁴ for subnormals. Values that would round up to infinity are clamped to the largest finite
 * bfloat16. Decoding rejects the NaN and infinity patterns.
 */
public final class Bf16Codec implements Codec {
  /** The largest finite bfloat16, 0x7F7F: 3.3895e38. */
  static final int MAX_FINITE = 0x7F7F;

  @Override
  public byte id() {
    return ID_BF16;
  }

  @Override
  public String name() {
    return "bf16";
  }

  static int toBf16(float x) {
    int bits = Float.floatToRawIntBits(x);
    int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
    if ((rounded & 0x7F80) == 0x7F80) rounded = (rounded & 0x8000) | MAX_FINITE;
    return rounded & 0xFFFF;
  }

  static float fromBf16(int h) {
    return Float.intBitsToFloat(h << 16);
  }

  @Override
  public long maxEncodedBytes(int dimension) {
    return HEADER_BYTES + 2L * dimension;
  }

  @Override
  public byte[] encode(float[] x) {
    Codec.requireFinite(x);
    Wire w = Wire.writer(HEADER_BYTES + 2 * x.length);
    Wire.writeHeader(w, ID_BF16, x.length);
    byte[] b = w.buf;
    int p = w.pos;
    for (float v : x) {
      int h = toBf16(v);
      b[p++] = (byte) h;
      b[p++] = (byte) (h >>> 8);
    }
    return b;
  }

  @Override
  public float[] decode(byte[] data, int expectedDimension) throws MalformedUpdateException {
    Wire w = new Wire(data, 0);
    int d = Wire.readHeader(w, ID_BF16, expectedDimension);
    w.need(2L * d, "bf16 values");
    if (w.remaining() != 2L * d) throw new MalformedUpdateException((w.remaining() - 2L * d) + " trailing bytes");
    float[] out = new float[d];
    byte[] b = data;
    int p = w.pos;
    for (int k = 0; k < d; k++, p += 2) {
      int h = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
      if ((h & 0x7F80) == 0x7F80) throw new MalformedUpdateException("NaN or infinity at " + k);
      out[k] = fromBf16(h);
    }
    return out;
  }
}
