package dev.weft.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: option defaults from a TOML file, for every long-running command.
 *
 * <p>Keys are option names without the dashes ({@code listen}, {@code dht-dir}). Top-level keys
 * apply to whichever command runs; a table named after the command path ({@code [p2p.serve]},
 * {@code [train.local]}, {@code [node]}) applies to that command only and wins over top-level
 * keys. Options given on the command line win over the file. Repeatable options take arrays:
 *
 * <pre>
 * # serve.toml
 * [p2p.serve]
 * listen = ["/ip4/0.0.0.0/tcp/4001"]
 * key = "node.key"
 * dht-dir = "dht"
 * topic = ["news"]
 * </pre>
 *
 * <p>A key that names no option of the command being run is an error that names the key and the
 * file, not a silent no-op: a misspelt setting that does nothing is the worst kind of bug to find.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {
  /** Config files are small; a larger one is a mistake (a wrong path), not a config. */
  public static final long MAX_BYTES = 1 << 20;

  private final Path path;
  private final JsonNode root;

  private ConfigFile(Path path, JsonNode root) {
    this.path = path;
    this.root = root;
  }

  /** Reads and parses {@code path}; the message of a failure names the file and the reason. */
  public static ConfigFile load(Path path) throws Errors.FileProblem {
    byte[] bytes = Errors.readFile("config", path, MAX_BYTES);
    try {
      JsonNode root = new TomlMapper().readTree(bytes);
      if (root == null || !root.isObject()) throw new Errors.FileProblem("config file " + path + ": not a TOML table", null);
      return new ConfigFile(path, root);
    } catch (Errors.FileProblem e) {
      throw e;
    } catch (java.io.IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new Errors.FileProblem("config file " + path + " is not valid TOML: " + m, e);
    }
  }

  /**
   * Finds {@code --config FILE} or {@code --config=FILE} in raw arguments (before parsing, so the
   * file can supply defaults to that same parse); null when absent.
   */
  public static Path find(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) return null;
      if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
      if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
    }
    return null;
  }

  private static String tableName(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (CommandSpec s = spec; s != null && s.parent() != null; s = s.parent()) names.add(0, s.name());
    return String.join(".", names);
  }

  private JsonNode table(CommandSpec spec) {
    JsonNode t = root;
    for (String part : tableName(spec).split("\\.")) {
      if (part.isEmpty()) continue;
      t = t == null ? null : t.get(part);
    }
    return t != null && t.isObject() ? t : null;
  }

  @Override public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.command() == null) return null;
    String key = option.longestName().replaceFirst("^-+", "");
    if (key.equals("config")) return null;
    JsonNode table = table(option.command());
    JsonNode v = table != null && table.has(key) ? table.get(key) : scalarOrArray(root.get(key));
    if (v == null) return null;
    return render(option, key, v);
  }

  private static JsonNode scalarOrArray(JsonNode v) {
    return v == null || v.isObject() ? null : v;
  }

  private String render(OptionSpec option, String key, JsonNode v) {
    if (!v.isArray()) return v.asText();
    if (!option.isMultiValue()) throw new CommandLine.ParameterException(option.command().commandLine(),
        "config file " + path + ": '" + key + "' takes one value, not a list");
    String split = option.splitRegex();
    List<String> parts = new ArrayList<>();
    for (JsonNode e : v) parts.add(e.asText());
    if (parts.size() <= 1) return parts.isEmpty() ? null : parts.get(0);
    if (split == null || split.isEmpty()) throw new CommandLine.ParameterException(option.command().commandLine(),
        "config file " + path + ": '" + key + "' takes one value per --" + key + "; give one value");
    return String.join(split.replace("\\", ""), parts);
  }

  /**
   * Fails with a message naming the key when the file sets something the command being run does
   * not have (only top-level keys and the command's own table are checked; other tables belong
   * to other commands).
   */
  public void checkKeys(CommandSpec spec) {
    JsonNode table = table(spec);
    checkObject(spec, table, "[" + tableName(spec) + "]");
    List<String> unknownTop = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isObject()) continue;
      if (spec.findOption("--" + e.getKey()) == null) unknownTop.add(e.getKey());
    }
    if (!unknownTop.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(),
        "config file " + path + ": 'weft " + tableName(spec).replace('.', ' ') + "' has no option " + String.join(", ", unknownTop));
  }

  private void checkObject(CommandSpec spec, JsonNode table, String where) {
    if (table == null) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isObject() && !spec.subcommands().isEmpty()) continue;
      if (spec.findOption("--" + e.getKey()) == null) throw new CommandLine.ParameterException(spec.commandLine(),
          "config file " + path + ": " + where + " has no option '" + e.getKey() + "'");
    }
  }

  /** The file this came from. */
  public Path path() {
    return path;
  }
}
