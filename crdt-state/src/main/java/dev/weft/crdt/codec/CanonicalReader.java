package dev.weft.crdt.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link CanonicalWriter} writes and refuses everything else: a non-minimal varint, a
 * length past the end or past a {@link DecodeLimits} bound, invalid UTF-8. Owners of collections
 * check their own ordering, so that only one byte string decodes to a given value (decoding then
 * re-encoding gives the input back).
 */
public final class CanonicalReader {
  private final byte[] in;
  private final DecodeLimits limits;
  private int pos;
  private long entriesLeft;

  public CanonicalReader(byte[] in, DecodeLimits limits) {
    this.in = in;
    this.limits = limits;
    this.entriesLeft = limits.maxEntries();
  }

  /**
   * Reads a collection's entry count and charges it to this decode's total entry budget
   * ({@link DecodeLimits#maxEntries}), so nesting cannot multiply what one input allocates.
   */
  public int entries(String what) throws MalformedEncodingException {
    int n = count(limits.maxEntries(), what);
    entriesLeft -= n;
    if (entriesLeft < 0) throw new MalformedEncodingException(what + ": more than " + limits.maxEntries() + " entries in all");
    // Each entry takes at least one byte, so a count beyond the bytes left is a lie told to make us allocate.
    if (n > in.length - pos) throw new MalformedEncodingException(what + ": " + n + " entries announced, " + (in.length - pos) + " bytes left");
    return n;
  }

  public DecodeLimits limits() {
    return limits;
  }

  public long varint() throws MalformedEncodingException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= in.length) throw new MalformedEncodingException("truncated varint");
      int b = in[pos++] & 0xFF;
      if (shift == 63 && b > 0) throw new MalformedEncodingException("varint overflows 63 bits");
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) throw new MalformedEncodingException("non-minimal varint");
        return value;
      }
    }
    throw new MalformedEncodingException("varint too long");
  }

  /** A varint that must fit an int and be at most {@code max}. */
  public int count(int max, String what) throws MalformedEncodingException {
    long n = varint();
    if (n > max) throw new MalformedEncodingException(what + ": " + n + " exceeds the limit of " + max);
    return (int) n;
  }

  public int u8() throws MalformedEncodingException {
    if (pos >= in.length) throw new MalformedEncodingException("truncated byte");
    return in[pos++] & 0xFF;
  }

  public long fixed64() throws MalformedEncodingException {
    if (in.length - pos < 8) throw new MalformedEncodingException("truncated fixed64");
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (in[pos++] & 0xFF);
    return v;
  }

  public String string() throws MalformedEncodingException {
    byte[] b = blob(limits.maxStringBytes());
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedEncodingException("invalid UTF-8");
    }
  }

  public byte[] blob() throws MalformedEncodingException {
    return blob(limits.maxBlobBytes());
  }

  public byte[] blob(int max) throws MalformedEncodingException {
    int n = count(max, "length");
    if (in.length - pos < n) throw new MalformedEncodingException("truncated: " + n + " bytes announced, " + (in.length - pos) + " left");
    byte[] b = new byte[n];
    System.arraycopy(in, pos, b, 0, n);
    pos += n;
    return b;
  }

  public int position() {
    return pos;
  }

  public boolean atEnd() {
    return pos == in.length;
  }

  /** Fails unless every byte was consumed: trailing bytes would give one value two encodings. */
  public void expectEnd() throws MalformedEncodingException {
    if (pos != in.length) throw new MalformedEncodingException((in.length - pos) + " trailing bytes");
  }
}
