package dev.weft.aggregation.codec;

/** Finding a codec by its wire id or by a textual spec. */
public final class Codecs {
  private Codecs() {}

  /**
   * weft's default codec: blockwise int8 (256 values per scale), sent with {@link ErrorFeedback}.
   * 3.9× smaller than float32, indistinguishable from uncompressed in the robustness table, and
   * dense, so every aggregation rule (including coordinate-wise ones) works on it.
   */
  public static final String DEFAULT_SPEC = "int8";

  /** Decodes any supported encoding, dispatching on its first byte. */
  public static float[] decode(byte[] data, int expectedDimension) throws MalformedUpdateException {
    if (data == null || data.length == 0) throw new MalformedUpdateException("empty update");
    return switch (data[0]) {
      case Codec.ID_BF16 -> new Bf16Codec().decode(data, expectedDimension);
      case Codec.ID_INT8_BLOCK -> Int8BlockCodec.DEFAULT.decode(data, expectedDimension);
      case Codec.ID_TOP_K -> TopKCodec.decodeAny(data, expectedDimension);
      default -> throw new MalformedUpdateException("unknown codec id " + data[0]);
    };
  }

  /**
   * A codec from a spec: {@code bf16}, {@code int8} or {@code int8:BLOCK}, {@code topk:FRACTION},
   * {@code topk-int8:FRACTION}.
   */
  public static Codec parse(String spec) {
    String[] parts = spec.trim().split(":", 2);
    String arg = parts.length > 1 ? parts[1] : null;
    return switch (parts[0]) {
      case "bf16" -> new Bf16Codec();
      case "int8" -> arg == null ? Int8BlockCodec.DEFAULT : new Int8BlockCodec(Integer.parseInt(arg));
      case "topk" -> new TopKCodec(Double.parseDouble(require(arg, spec)), TopKCodec.Values.FLOAT32);
      case "topk-int8" -> new TopKCodec(Double.parseDouble(require(arg, spec)), TopKCodec.Values.INT8);
      default -> throw new IllegalArgumentException("unknown codec: " + spec);
    };
  }

  private static String require(String arg, String spec) {
    if (arg == null) throw new IllegalArgumentException("codec needs a fraction: " + spec);
    return arg;
  }
}
