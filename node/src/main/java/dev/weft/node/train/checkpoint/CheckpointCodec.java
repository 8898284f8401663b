package dev.weft.node.train.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.ParamLayout;
import dev.weft.node.train.diloco.OuterConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checkpoints as <a href="https://github.com/huggingface/safetensors">safetensors</a> files, so
 * Python's {@code safetensors.torch.load_file} reads θ as a state dict:
 *
 * <pre>
 * u64 LE   N = header length
 * N bytes  JSON header, padded with spaces to a multiple of 8:
 *          { "&lt;param name&gt;": {"dtype":"F32","shape":[..],"data_offsets":[begin,end]}, ... (layout order)
 *            "outer_momentum": {"dtype":"F32","shape":[P],"data_offsets":[4P,8P]},
 *            "__metadata__": {"format":"weft-checkpoint/1","model":"gpt:…","round":"12",
 *                             "inner_steps_per_round":"50","outer_lr":"0.7","outer_momentum":"0.9",
 *                             "outer_nesterov":"true","layout":"wte,wpe,…",
 *                             "theta_sha256":"…","outer_momentum_sha256":"…"} }
 * 8P bytes θ (P float32 LE, layout order) then the outer momentum buffer (P float32 LE)
 * </pre>
 *
 * <p>Decoding checks everything before trusting anything: header length bounds, JSON, format tag,
 * that every tensor has the model's exact name, dtype, shape and offset, that the data is exactly
 * as long as the header says (truncation), both SHA-256 digests, and that every value is finite.
 * Every failure is a {@link CorruptCheckpointException} with a one-line reason.
 */
public final class CheckpointCodec {
  public static final String FORMAT = "weft-checkpoint/1";
  /** Largest header accepted; a GPT-2-small header is about 15 KB. */
  public static final long MAX_HEADER_BYTES = 1 << 20;
  /** Largest checkpoint accepted in memory (Java arrays). */
  public static final long MAX_CHECKPOINT_BYTES = Integer.MAX_VALUE - 64;
  static final String MOMENTUM = "outer_momentum";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(1 << 20).build());
  }

  private CheckpointCodec() {}

  public static byte[] encode(Checkpoint c) {
    ParamLayout layout = c.model().layout();
    int p = layout.size();
    byte[] thetaBytes = floats(c.theta()), momBytes = floats(c.outerMomentum());
    ObjectNode header = JSON.createObjectNode();
    StringBuilder names = new StringBuilder();
    for (ParamLayout.Entry e : layout.entries()) {
      tensor(header, e.name(), e.shape(), 4 * e.offset(), 4 * e.end());
      if (names.length() > 0) names.append(',');
      names.append(e.name());
    }
    tensor(header, MOMENTUM, new long[] {p}, 4L * p, 8L * p);
    ObjectNode meta = header.putObject("__metadata__");
    meta.put("format", FORMAT);
    meta.put("model", ModelSpecs.format(c.model()));
    meta.put("round", Long.toString(c.round()));
    meta.put("inner_steps_per_round", Long.toString(c.innerStepsPerRound()));
    meta.put("outer_lr", Double.toString(c.outer().lr()));
    meta.put("outer_momentum", Double.toString(c.outer().momentum()));
    meta.put("outer_nesterov", Boolean.toString(c.outer().nesterov()));
    meta.put("layout", names.toString());
    meta.put("theta_sha256", sha256(thetaBytes));
    meta.put("outer_momentum_sha256", sha256(momBytes));
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + thetaBytes.length + momBytes.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) out.put((byte) ' ');
    out.put(thetaBytes).put(momBytes);
    return out.array();
  }

  private static void tensor(ObjectNode header, String name, long[] shape, long begin, long end) {
    ObjectNode t = header.putObject(name);
    t.put("dtype", "F32");
    ArrayNode s = t.putArray("shape");
    for (long d : shape) s.add(d);
    t.putArray("data_offsets").add(begin).add(end);
  }

  public static Checkpoint decode(byte[] file) {
    if (file.length < 8) throw new CorruptCheckpointException("checkpoint truncated: " + file.length + " bytes, no header length");
    ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong();
    if (n < 2 || n > MAX_HEADER_BYTES) throw new CorruptCheckpointException("checkpoint header length " + Long.toUnsignedString(n) + " out of range");
    if (8 + n > file.length) throw new CorruptCheckpointException("checkpoint truncated inside its header (" + file.length + " bytes, header needs " + (8 + n) + ")");
    JsonNode header;
    try {
      header = JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8).stripTrailing());
    } catch (JsonProcessingException e) {
      throw new CorruptCheckpointException("checkpoint header is not valid JSON: " + e.getOriginalMessage());
    }
    if (header == null || !header.isObject()) throw new CorruptCheckpointException("checkpoint header is not a JSON object");
    JsonNode meta = header.get("__metadata__");
    if (meta == null || !meta.isObject()) throw new CorruptCheckpointException("checkpoint has no __metadata__");
    if (!FORMAT.equals(text(meta, "format"))) throw new CorruptCheckpointException("not a " + FORMAT + " file (format " + text(meta, "format") + ")");
    ModelSpec model;
    OuterConfig outer;
    long round, inner;
    try {
      model = ModelSpecs.parse(text(meta, "model"));
      round = Long.parseLong(text(meta, "round"));
      inner = Long.parseLong(text(meta, "inner_steps_per_round"));
      outer = new OuterConfig(Double.parseDouble(text(meta, "outer_lr")), Double.parseDouble(text(meta, "outer_momentum")),
          Boolean.parseBoolean(text(meta, "outer_nesterov")));
    } catch (IllegalArgumentException e) { // includes NumberFormatException
      throw new CorruptCheckpointException("checkpoint metadata invalid: " + e.getMessage());
    }
    ParamLayout layout = model.layout();
    long p = layout.size();
    int expectedTensors = layout.entries().size() + 1;
    if (header.size() != expectedTensors + 1) throw new CorruptCheckpointException("checkpoint has " + (header.size() - 1) + " tensors, model needs " + expectedTensors);
    for (ParamLayout.Entry e : layout.entries()) checkTensor(header, e.name(), e.shape(), 4 * e.offset(), 4 * e.end());
    checkTensor(header, MOMENTUM, new long[] {p}, 4 * p, 8 * p);
    long data = file.length - 8 - n;
    if (data != 8 * p) throw new CorruptCheckpointException("checkpoint data is " + data + " bytes, header says " + 8 * p + (data < 8 * p ? " (truncated)" : " (trailing bytes)"));
    int start = (int) (8 + n);
    byte[] thetaBytes = java.util.Arrays.copyOfRange(file, start, start + (int) (4 * p));
    byte[] momBytes = java.util.Arrays.copyOfRange(file, start + (int) (4 * p), file.length);
    if (!sha256(thetaBytes).equals(text(meta, "theta_sha256"))) throw new CorruptCheckpointException("checkpoint θ does not match its sha256: file corrupt");
    if (!sha256(momBytes).equals(text(meta, "outer_momentum_sha256"))) throw new CorruptCheckpointException("checkpoint outer momentum does not match its sha256: file corrupt");
    float[] theta = toFloats(thetaBytes, "θ"), mom = toFloats(momBytes, "outer momentum");
    return new Checkpoint(model, round, inner, theta, outer, mom);
  }

  private static void checkTensor(JsonNode header, String name, long[] shape, long begin, long end) {
    JsonNode t = header.get(name);
    if (t == null || !t.isObject()) throw new CorruptCheckpointException("checkpoint lacks tensor " + name);
    if (!"F32".equals(text(t, "dtype"))) throw new CorruptCheckpointException(name + ": dtype " + text(t, "dtype") + ", expected F32");
    JsonNode s = t.get("shape"), o = t.get("data_offsets");
    if (s == null || !s.isArray() || s.size() != shape.length) throw new CorruptCheckpointException(name + ": wrong shape");
    for (int i = 0; i < shape.length; i++) if (!s.get(i).canConvertToLong() || s.get(i).asLong() != shape[i]) throw new CorruptCheckpointException(name + ": wrong shape");
    if (o == null || !o.isArray() || o.size() != 2 || o.get(0).asLong(-1) != begin || o.get(1).asLong(-1) != end) {
      throw new CorruptCheckpointException(name + ": data offsets " + o + ", expected [" + begin + "," + end + "]");
    }
  }

  private static String text(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || !v.isTextual()) throw new CorruptCheckpointException("checkpoint field '" + field + "' missing or not a string");
    return v.asText();
  }

  private static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static float[] toFloats(byte[] bytes, String what) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) throw new CorruptCheckpointException(what + " has a non-finite value at " + i);
    return v;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
