package dev.weft.aggregation.codec;

/**
 * Bounds-checked little-endian reading and writing for the codecs. Every read checks the remaining
 * length first and throws {@link MalformedUpdateException}, never an index exception.
 */
final class Wire {
  final byte[] buf;
  int pos;

  Wire(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
  }

  static Wire writer(int size) {
    return new Wire(new byte[size], 0);
  }

  int remaining() {
    return buf.length - pos;
  }

  /** Checks that {@code bytes} more can be read; long, so callers' size arithmetic cannot wrap. */
  void need(long bytes, String what) throws MalformedUpdateException {
    if (bytes < 0 || remaining() < bytes) {
      throw new MalformedUpdateException("truncated " + what + ": need " + bytes + " bytes, have " + remaining());
    }
  }

  int u8(String what) throws MalformedUpdateException {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  int i32(String what) throws MalformedUpdateException {
    need(4, what);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  float f32(String what) throws MalformedUpdateException {
    return Float.intBitsToFloat(i32(what));
  }

  /** Unsigned LEB128 of at most 5 bytes holding a value below 2³¹; minimal encoding required. */
  int varint(String what) throws MalformedUpdateException {
    long v = 0;
    for (int i = 0; i < 5; i++) {
      int b = u8(what);
      v |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) throw new MalformedUpdateException("non-minimal varint in " + what);
        if (v > Integer.MAX_VALUE) throw new MalformedUpdateException("varint too large in " + what);
        return (int) v;
      }
    }
    throw new MalformedUpdateException("varint longer than 5 bytes in " + what);
  }

  void putU8(int v) {
    buf[pos++] = (byte) v;
  }

  void putI32(int v) {
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 24);
  }

  void putF32(float v) {
    putI32(Float.floatToRawIntBits(v));
  }

  static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) n++;
    return n;
  }

  void putVarint(int v) {
    while ((v & ~0x7f) != 0) {
      buf[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  // Header: codec id, version, dimension (see Codec).

  static void writeHeader(Wire w, byte id, int d) {
    w.putU8(id);
    w.putU8(Codec.VERSION);
    w.putI32(d);
  }

  /** Reads and checks the header; returns the dimension. */
  static int readHeader(Wire w, byte id, int expectedDimension) throws MalformedUpdateException {
    if (expectedDimension < 0 || expectedDimension > Codec.MAX_DIMENSION) {
      throw new IllegalArgumentException("expected dimension out of range: " + expectedDimension);
    }
    int got = w.u8("codec id");
    if (got != id) throw new MalformedUpdateException("codec id " + got + ", expected " + id);
    int version = w.u8("version");
    if (version != Codec.VERSION) throw new MalformedUpdateException("unsupported version " + version);
    int d = w.i32("dimension");
    if (d != expectedDimension) {
      throw new MalformedUpdateException("dimension " + d + ", expected " + expectedDimension);
    }
    return d;
  }

  static void requireConsumed(Wire w) throws MalformedUpdateException {
    if (w.remaining() != 0) throw new MalformedUpdateException(w.remaining() + " trailing bytes");
  }
}
