package dev.weft.aggregation.codec;

/**
 * Blockwise int8 quantisation: the vector is cut into blocks of B values; each block stores one
 * float32 scale s = max|x|/127 and B signed bytes q = round(x/s) in [−127, 127]. Layout after the
 * header: block size B (int32), ⌈d/B⌉ scales (float32), d bytes. Ratio ≈ 4/(1 + 4/B): 3.94 at
 * B = 256.
 *
 * <p>Error: |x − q·s| ≤ s/2 (plus float rounding) — at most 1/254 of the block's largest magnitude.
 * A per-block scale keeps one large coordinate from flattening the whole vector. Decoding rejects
 * NaN, infinite or negative scales, the byte −128 (not produced, so not canonical) and a block size
 * outside [1, {@value #MAX_BLOCK}].
 */
public final class Int8BlockCodec implements Codec {
  /** 256 values per scale: 1.6% overhead, and a block stays within a few cache lines. */
  public static final int DEFAULT_BLOCK = 256;

  public static final int MAX_BLOCK = 1 << 20;
  public static final Int8BlockCodec DEFAULT = new Int8BlockCodec(DEFAULT_BLOCK);

  private final int block;

  public Int8BlockCodec(int block) {
    if (block < 1 || block > MAX_BLOCK) {
      throw new IllegalArgumentException("block size must be in [1, " + MAX_BLOCK + "]: " + block);
    }
    this.block = block;
  }

  public int block() {
    return block;
  }

  @Override
  public byte id() {
    return ID_INT8_BLOCK;
  }

  @Override
  public String name() {
    return block == DEFAULT_BLOCK ? "int8" : "int8(block=" + block + ")";
  }

  @Override
  public long maxEncodedBytes(int dimension) {
    return HEADER_BYTES + 4L + 4L * blocks(dimension, block) + dimension;
  }

  @Override
  public byte[] encode(float[] x) {
    Codec.requireFinite(x);
    Wire w = Wire.writer(HEADER_BYTES + payloadSize(x.length, block));
    Wire.writeHeader(w, ID_INT8_BLOCK, x.length);
    writePayload(w, x, block);
    return w.buf;
  }

  @Override
  public float[] decode(byte[] data, int expectedDimension) throws MalformedUpdateException {
    Wire w = new Wire(data, 0);
    int d = Wire.readHeader(w, ID_INT8_BLOCK, expectedDimension);
    float[] out = readPayload(w, d);
    Wire.requireConsumed(w);
    return out;
  }

  static int payloadSize(int n, int block) {
    return 4 + 4 * blocks(n, block) + n;
  }

  static int blocks(int n, int block) {
    return (int) (((long) n + block - 1) / block);
  }

  /** Writes block size, scales and bytes for {@code x}. */
  static void writePayload(Wire w, float[] x, int block) {
    int n = x.length;
    int nb = blocks(n, block);
    w.putI32(block);
    int scalesAt = w.pos;
    int bytesAt = scalesAt + 4 * nb;
    byte[] buf = w.buf;
    for (int b = 0; b < nb; b++) {
      int from = b * block, to = Math.min(n, from + block);
      float max = CodecKernels.maxAbs(x, from, to);
      float scale = max / 127f;
      // Keep 127·scale finite so that every decoded value is finite.
      while (!Float.isFinite(127f * scale)) scale = Math.nextDown(scale);
      w.pos = scalesAt + 4 * b;
      w.putF32(scale);
      float inv = scale == 0 ? 0 : 1f / scale;
      CodecKernels.quantise(x, from, to, inv, buf, bytesAt + from);
    }
    w.pos = bytesAt + n;
  }

  /** Reads what {@link #writePayload} wrote, for n values. */
  static float[] readPayload(Wire w, int n) throws MalformedUpdateException {
    int block = w.i32("block size");
    if (block < 1 || block > MAX_BLOCK) throw new MalformedUpdateException("block size " + block);
    int nb = blocks(n, block);
    w.need(4L * nb + n, "int8 scales and values");
    float[] scales = new float[nb];
    for (int b = 0; b < nb; b++) {
      float s = w.f32("scale");
      if (!(s >= 0) || Float.isInfinite(s)) throw new MalformedUpdateException("bad scale " + s + " in block " + b);
      if (!Float.isFinite(127f * s)) throw new MalformedUpdateException("scale too large in block " + b);
      scales[b] = s;
    }
    float[] out = new float[n];
    byte[] buf = w.buf;
    int p = w.pos;
    for (int b = 0; b < nb; b++) {
      int from = b * block, to = Math.min(n, from + block);
      int bad = CodecKernels.dequantise(buf, p + from, scales[b], out, from, to);
      if (bad >= 0) throw new MalformedUpdateException("byte -128 at " + bad);
    }
    w.pos = p + n;
    return out;
  }
}
