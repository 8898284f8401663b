package dev.weft.node.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.node.blocks.BlobId;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link RunManifest} from a tree (the coordinator's TOML, or the canonical JSON of a
 * signed manifest), checking every field on its own — type, range, format — and then, when each
 * field is fine, the combinations ({@link ManifestValidator}). Every problem is reported with its
 * field path, all at once, so the coordinator fixes the file in one go. An unknown key is a
 * problem too: a misspelt setting that silently keeps its default is the worst kind of mistake.
 *
 * <p>Optional fields have the defaults listed in docs/node.md; the canonical JSON written by
 * {@link ManifestJson} spells every field out, so what is signed never depends on a default.
 */
public final class ManifestReader {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  /** Shards a run lists at most (the manifest must fit in a 16 KiB DHT record). */
  public static final int MAX_SHARDS = 256;
  /** Peers an allowlist names at most (same reason). */
  public static final int MAX_ALLOW = 128;

  static final Map<String, Set<String>> TABLES = Map.ofEntries(
      Map.entry("model", Set.of("spec", "seed", "checkpoint")),
      Map.entry("data", Set.of("shards", "shards_per_peer")),
      Map.entry("training", Set.of("inner_steps", "rounds", "checkpoint_every", "batch_rows")),
      Map.entry("inner", Set.of("optimizer", "lr", "warmup_steps", "beta1", "beta2", "weight_decay", "clip_norm")),
      Map.entry("outer", Set.of("optimizer", "lr", "momentum")),
      Map.entry("aggregation", Set.of("rule", "f", "codec")),
      Map.entry("round", Set.of("quorum", "min_contributions", "max_voters")),
      Map.entry("admission", Set.of("policy", "allow", "voter_tenure_rounds")),
      Map.entry("limits", Set.of("max_contribution_bytes", "max_peers", "round_timeout_ms")));
  static final Set<String> TOP = Set.of("format", "name", "coordinator");

  private final List<ManifestProblem> problems = new ArrayList<>();

  private ManifestReader() {}

  /**
   * The manifest in {@code root}.
   *
   * @throws InvalidManifestException naming every field at fault
   */
  public static RunManifest read(JsonNode root) throws InvalidManifestException {
    ManifestReader r = new ManifestReader();
    RunManifest m = r.parse(root);
    if (!r.problems.isEmpty()) throw new InvalidManifestException(r.problems);
    List<ManifestProblem> combos = ManifestValidator.validate(m);
    if (!combos.isEmpty()) throw new InvalidManifestException(combos);
    return m;
  }

  private RunManifest parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      problem("(file)", "a run manifest is a table of settings");
      return null;
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP.contains(k) && !TABLES.containsKey(k)) problem(k, "unknown setting (known: " + String.join(", ", sorted(union())) + ")");
      else if (TABLES.containsKey(k) && !root.get(k).isObject()) problem(k, "must be a table [" + k + "]");
    }
    int format = (int) integer(root, "", "format", (long) RunManifest.FORMAT, 1, Integer.MAX_VALUE);
    if (format != RunManifest.FORMAT) problem("format", "this weft reads manifest format " + RunManifest.FORMAT + ", not " + format);
    String name = string(root, "", "name", null);
    if (name != null && !NAME.matcher(name).matches()) {
      problem("name", "'" + name + "' is not a run name: 1-64 of a-z 0-9 . _ -, starting with a letter or digit");
    }
    PeerId coordinator = peer(root, "", "coordinator");

    JsonNode t = table(root, "model");
    String spec = string(t, "model", "spec", null);
    if (spec != null) {
      try {
        dev.weft.node.train.ModelSpecs.parse(spec);
      } catch (IllegalArgumentException e) {
        problem("model.spec", e.getMessage());
      }
    }
    long seed = integer(t, "model", "seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE);
    BlobId checkpoint = blob(t, "model", "checkpoint");
    RunManifest.Model model = new RunManifest.Model(spec, seed, checkpoint);

    t = table(root, "data");
    List<BlobId> shards = blobs(t, "data", "shards");
    int perPeer = (int) integer(t, "data", "shards_per_peer", 1L, 1, MAX_SHARDS);
    RunManifest.Data data = new RunManifest.Data(shards, perPeer);

    t = table(root, "training");
    RunManifest.Training training = new RunManifest.Training(
        (int) integer(t, "training", "inner_steps", null, 1, 100_000),
        (int) integer(t, "training", "rounds", null, 1, 10_000_000),
        (int) integer(t, "training", "checkpoint_every", 10L, 1, 10_000_000),
        (int) integer(t, "training", "batch_rows", 8L, 1, 4096));

    t = table(root, "inner");
    String innerOpt = string(t, "inner", "optimizer", "adamw");
    if (innerOpt != null && !innerOpt.equals("adamw")) problem("inner.optimizer", "'" + innerOpt + "' is not an inner optimizer weft has (adamw)");
    RunManifest.Inner inner = new RunManifest.Inner(innerOpt,
        positive(t, "inner", "lr", null),
        integer(t, "inner", "warmup_steps", 0L, 0, 100_000_000),
        unit(t, "inner", "beta1", 0.9),
        unit(t, "inner", "beta2", 0.95),
        nonNegative(t, "inner", "weight_decay", 0.1),
        nonNegative(t, "inner", "clip_norm", 1.0));

    t = table(root, "outer");
    String outerOpt = string(t, "outer", "optimizer", "nesterov");
    if (outerOpt != null && !outerOpt.equals("nesterov") && !outerOpt.equals("sgd")) {
      problem("outer.optimizer", "'" + outerOpt + "' is not an outer optimizer weft has (nesterov, sgd)");
    }
    RunManifest.Outer outer = new RunManifest.Outer(outerOpt, positive(t, "outer", "lr", 0.7), unit(t, "outer", "momentum", 0.9));

    t = table(root, "aggregation");
    String rule = string(t, "aggregation", "rule", dev.weft.aggregation.Aggregators.DEFAULT_SPEC);
    if (rule != null) {
      try {
        dev.weft.aggregation.Aggregators.parse(rule);
      } catch (IllegalArgumentException e) {
        problem("aggregation.rule", e.getMessage());
      }
    }
    String codec = string(t, "aggregation", "codec", dev.weft.aggregation.codec.Codecs.DEFAULT_SPEC);
    if (codec != null) {
      try {
        dev.weft.aggregation.codec.Codecs.parse(codec);
      } catch (IllegalArgumentException e) {
        problem("aggregation.codec", e.getMessage());
      }
    }
    RunManifest.Aggregation aggregation = new RunManifest.Aggregation(rule, (int) integer(t, "aggregation", "f", 0L, 0, 1000), codec);

    t = table(root, "round");
    RunManifest.Round round = new RunManifest.Round(
        (int) integer(t, "round", "quorum", null, 1, 1000),
        (int) integer(t, "round", "min_contributions", null, 1, 10_000),
        (int) integer(t, "round", "max_voters", 16L, 1, 1000));

    t = table(root, "admission");
    String policy = string(t, "admission", "policy", "open");
    if (policy != null && !policy.equals("open") && !policy.equals("allowlist")) problem("admission.policy", "'" + policy + "' is not a policy (open, allowlist)");
    List<PeerId> allow = peers(t, "admission", "allow");
    RunManifest.Admission admission = new RunManifest.Admission(policy, allow, (int) integer(t, "admission", "voter_tenure_rounds", 1L, 0, 1_000_000));

    t = table(root, "limits");
    RunManifest.Limits limits = new RunManifest.Limits(
        integer(t, "limits", "max_contribution_bytes", 64L << 20, 1024, 1L << 34),
        (int) integer(t, "limits", "max_peers", 64L, 1, 100_000),
        integer(t, "limits", "round_timeout_ms", 600_000L, 1000, 86_400_000));
    return new RunManifest(format, name, coordinator, model, data, training, inner, outer, aggregation, round, admission, limits);
  }

  private static Set<String> union() {
    Set<String> s = new HashSet<>(TOP);
    s.addAll(TABLES.keySet());
    return s;
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  private void problem(String field, String message) {
    problems.add(new ManifestProblem(field, message));
  }

  private static String path(String table, String key) {
    return table.isEmpty() ? key : table + "." + key;
  }

  private JsonNode table(JsonNode root, String name) {
    JsonNode t = root.get(name);
    if (t == null || !t.isObject()) return JsonNodeFactory.instance.objectNode();
    Set<String> known = TABLES.get(name);
    for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) problem(name + "." + k, "unknown setting (known in [" + name + "]: " + String.join(", ", sorted(known)) + ")");
    }
    return t;
  }

  private String string(JsonNode t, String table, String key, String def) {
    JsonNode v = t.get(key);
    if (v == null || v.isNull()) {
      if (def == null) problem(path(table, key), "required");
      return def;
    }
    if (!v.isTextual()) {
      problem(path(table, key), "must be a string, not " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      return null;
    }
    return v.asText();
  }

  private long integer(JsonNode t, String table, String key, Long def, long min, long max) {
    JsonNode v = t.get(key);
    String p = path(table, key);
    if (v == null || v.isNull()) {
      if (def == null) problem(p, "required");
      return def == null ? min : def;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      problem(p, "must be a whole number, not " + v);
      return min;
    }
    long x = v.asLong();
    if (x < min || x > max) {
      problem(p, x + " is out of range [" + min + ", " + max + "]");
      return min;
    }
    return x;
  }

  private double number(JsonNode t, String table, String key, Double def) {
    JsonNode v = t.get(key);
    String p = path(table, key);
    if (v == null || v.isNull()) {
      if (def == null) problem(p, "required");
      return def == null ? Double.NaN : def;
    }
    if (!v.isNumber()) {
      problem(p, "must be a number, not " + v);
      return Double.NaN;
    }
    double x = v.asDouble();
    if (!Double.isFinite(x)) problem(p, "must be finite, not " + x);
    return x;
  }

  private double positive(JsonNode t, String table, String key, Double def) {
    double x = number(t, table, key, def);
    if (Double.isFinite(x) && !(x > 0)) problem(path(table, key), "must be positive, not " + x);
    return x;
  }

  private double nonNegative(JsonNode t, String table, String key, Double def) {
    double x = number(t, table, key, def);
    if (Double.isFinite(x) && x < 0) problem(path(table, key), "must be 0 or more, not " + x);
    return x;
  }

  private double unit(JsonNode t, String table, String key, Double def) {
    double x = number(t, table, key, def);
    if (Double.isFinite(x) && !(x >= 0 && x < 1)) problem(path(table, key), "must be in [0, 1), not " + x);
    return x;
  }

  private PeerId peer(JsonNode t, String table, String key) {
    String s = string(t, table, key, null);
    if (s == null) return null;
    try {
      return PeerId.parse(s);
    } catch (IllegalArgumentException e) {
      problem(path(table, key), "'" + s + "' is not a peer id (" + e.getMessage() + ")");
      return null;
    }
  }

  private BlobId blob(JsonNode t, String table, String key) {
    String s = string(t, table, key, null);
    if (s == null) return null;
    try {
      return BlobId.parse(s);
    } catch (IllegalArgumentException e) {
      problem(path(table, key), e.getMessage());
      return null;
    }
  }

  private List<BlobId> blobs(JsonNode t, String table, String key) {
    String p = path(table, key);
    JsonNode v = t.get(key);
    List<BlobId> out = new ArrayList<>();
    if (v == null || !v.isArray()) {
      problem(p, v == null ? "required: the data shards' blob ids" : "must be a list of blob ids");
      return out;
    }
    if (v.isEmpty()) problem(p, "a run needs at least one data shard");
    if (v.size() > MAX_SHARDS) problem(p, v.size() + " shards is more than " + MAX_SHARDS);
    Set<BlobId> seen = new HashSet<>();
    for (int i = 0; i < v.size() && i < MAX_SHARDS; i++) {
      JsonNode e = v.get(i);
      try {
        BlobId b = BlobId.parse(e.asText());
        if (!e.isTextual()) throw new IllegalArgumentException("not a string: " + e);
        if (!seen.add(b)) problem(p + "[" + i + "]", "shard " + b + " is listed twice");
        out.add(b);
      } catch (IllegalArgumentException ex) {
        problem(p + "[" + i + "]", ex.getMessage());
      }
    }
    return out;
  }

  private List<PeerId> peers(JsonNode t, String table, String key) {
    String p = path(table, key);
    JsonNode v = t.get(key);
    List<PeerId> out = new ArrayList<>();
    if (v == null) return out;
    if (!v.isArray()) {
      problem(p, "must be a list of peer ids");
      return out;
    }
    if (v.size() > MAX_ALLOW) problem(p, v.size() + " peers is more than " + MAX_ALLOW);
    for (int i = 0; i < v.size() && i < MAX_ALLOW; i++) {
      try {
        out.add(PeerId.parse(v.get(i).asText()));
      } catch (IllegalArgumentException ex) {
        problem(p + "[" + i + "]", "'" + v.get(i).asText() + "' is not a peer id");
      }
    }
    return out;
  }
}
