package dev.weft.node.blocks;

/** Bounds-checked reads over a byte array; every failure is a {@link BlocksDecodeException}. */
final class WireReader {
  private final byte[] b;
  private int pos;

  WireReader(byte[] b) {
    this.b = b;
  }

  int remaining() {
    return b.length - pos;
  }

  int u8() throws BlocksDecodeException {
    if (pos >= b.length) throw new BlocksDecodeException("truncated at byte " + pos);
    return b[pos++] & 0xff;
  }

  /** A minimal unsigned varint of at most 9 bytes (63 bits). */
  long uvarint() throws BlocksDecodeException {
    long v = 0;
    for (int i = 0, shift = 0; i < 9; i++, shift += 7) {
      int x = u8();
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        if (i > 0 && x == 0) throw new BlocksDecodeException("non-minimal varint");
        return v;
      }
    }
    throw new BlocksDecodeException("varint longer than 9 bytes");
  }

  byte[] bytes(int n) throws BlocksDecodeException {
    if (n < 0 || n > remaining()) throw new BlocksDecodeException("need " + n + " bytes, " + remaining() + " left");
    byte[] out = new byte[n];
    System.arraycopy(b, pos, out, 0, n);
    pos += n;
    return out;
  }

  void end() throws BlocksDecodeException {
    if (pos != b.length) throw new BlocksDecodeException((b.length - pos) + " trailing bytes");
  }
}
