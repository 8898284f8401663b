package dev.weft.aggregation.codec;

/**
 * A lossy encoding of a pseudo-gradient for the wire. Every encoding starts with a 6-byte header:
 * codec id (1 byte), format version (1 byte, {@value #VERSION}), dimension d (int32, little-endian).
 *
 * <p>Decoders treat their input as hostile: they check every length before reading or allocating,
 * require the header's dimension to equal what the caller expects (from the run manifest), reject
 * NaN/infinite values and scales, out-of-range or unsorted indices and trailing bytes, and always
 * fail with {@link MalformedUpdateException}. Encoders take the sender's own finite vector and
 * throw {@link IllegalArgumentException} otherwise. Implementations are stateless and thread-safe.
 */
public sealed interface Codec permits Bf16Codec, Int8BlockCodec, TopKCodec {
  int VERSION = 1;
  int HEADER_BYTES = 6;

  /**
   * Largest dimension any codec accepts: 2³⁰ floats (4 GiB dense), far above a trainable model
   * per peer here and below Java's array limit.
   */
  int MAX_DIMENSION = 1 << 30;

  byte ID_BF16 = 1;
  byte ID_INT8_BLOCK = 2;
  byte ID_TOP_K = 3;

  byte id();

  String name();

  byte[] encode(float[] x);

  /**
   * The most bytes an encoding of a d-vector by this codec can take (exact for fixed-size codecs):
   * a receiver refuses anything larger before decoding.
   */
  long maxEncodedBytes(int dimension);

  float[] decode(byte[] data, int expectedDimension) throws MalformedUpdateException;

  /** Dense float32 bytes divided by encoded bytes. */
  static double compressionRatio(int dimension, int encodedBytes) {
    return 4.0 * dimension / encodedBytes;
  }

  static void requireFinite(float[] x) {
    for (int k = 0; k < x.length; k++) {
      if (!Float.isFinite(x[k])) {
        throw new IllegalArgumentException("cannot encode a non-finite value at " + k);
      }
    }
  }
}
