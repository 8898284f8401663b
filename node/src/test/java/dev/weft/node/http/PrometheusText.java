package dev.weft.node.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4) for tests: every line must be
 * a comment, a {@code # HELP}/{@code # TYPE} line or a well-formed sample whose family was typed
 * before it; anything else throws with the line number. Tests read metrics through this rather
 * than by matching strings, so a malformed exposition fails them.
 */
final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {}

  final Map<String, String> types = new LinkedHashMap<>();
  final List<Sample> samples = new ArrayList<>();

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) continue;
      try {
        p.line(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
      }
    }
    return p;
  }

  private void line(String line) {
    if (line.startsWith("#")) {
      String[] parts = line.split(" ", 4);
      if (parts.length >= 3 && parts[1].equals("TYPE")) {
        name(parts[2]);
        String type = parts.length > 3 ? parts[3] : "";
        if (!List.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) throw new IllegalArgumentException("bad type " + type);
        if (types.put(parts[2], type) != null) throw new IllegalArgumentException("family typed twice");
      } else if (parts.length >= 3 && parts[1].equals("HELP")) {
        name(parts[2]);
      }
      return;
    }
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
    String name = name(line.substring(0, i));
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = name(line.substring(i, eq));
        if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("label value not quoted");
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            v.append(switch (n) {
              case 'n' -> '\n';
              case '\\' -> '\\';
              case '"' -> '"';
              default -> throw new IllegalArgumentException("bad escape \\" + n);
            });
          } else {
            v.append(c);
          }
        }
        if (labels.put(label, v.toString()) != null) throw new IllegalArgumentException("label repeated: " + label);
        i = j + 1;
        if (line.charAt(i) == ',') i++;
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException("no value");
    String[] rest = line.substring(i + 1).trim().split(" ");
    if (rest.length > 2) throw new IllegalArgumentException("trailing text");
    double value = switch (rest[0]) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(rest[0]);
    };
    if (rest.length == 2) Long.parseLong(rest[1]);
    String family = types.keySet().stream().filter(f -> name.equals(f) || name.startsWith(f + "_")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("sample of an untyped family"));
    if (family.isEmpty()) throw new IllegalStateException();
    samples.add(new Sample(name, labels, value));
  }

  private static String name(String s) {
    if (!s.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) throw new IllegalArgumentException("bad name '" + s + "'");
    return s;
  }

  /** The one sample of {@code name} with these labels (name/value pairs). */
  double value(String name, String... labels) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
    List<Sample> m = samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(want.entrySet())).toList();
    if (m.size() != 1) throw new AssertionError(m.size() + " samples of " + name + want + " in " + samples);
    return m.get(0).value();
  }
}
