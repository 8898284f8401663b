package dev.weft.crdt.delta;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A key pattern of the schema: {@code /}-separated segments, each a literal or a variable in
 * braces. Variables named {@code peer} (or ending in {@code Peer}) must be base58 peer ids;
 * {@code round} (or ending in {@code Round}) a decimal number without leading zeros; any other a
 * non-empty segment. Example: {@code contrib/{round}/{peer}}.
 */
public final class KeyPattern {
  private final String text;
  private final List<String> segments;

  private KeyPattern(String text, List<String> segments) {
    this.text = text;
    this.segments = segments;
  }

  public static KeyPattern parse(String text) {
    List<String> segs = List.of(text.split("/", -1));
    for (String s : segs) {
      if (s.isEmpty()) throw new IllegalArgumentException("empty segment in key pattern " + text);
      if (s.startsWith("{") != s.endsWith("}") || (s.startsWith("{") && s.length() < 3)) {
        throw new IllegalArgumentException("bad variable " + s + " in key pattern " + text);
      }
    }
    return new KeyPattern(text, segs);
  }

  /** The variables' values if {@code key} matches, else empty. */
  public Optional<Map<String, String>> match(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length != segments.size()) return Optional.empty();
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String seg = segments.get(i);
      String part = parts[i];
      if (part.isEmpty()) return Optional.empty();
      if (seg.startsWith("{")) {
        String name = seg.substring(1, seg.length() - 1);
        if (!valid(name, part)) return Optional.empty();
        vars.put(name, part);
      } else if (!seg.equals(part)) {
        return Optional.empty();
      }
    }
    return Optional.of(vars);
  }

  private static boolean valid(String name, String part) {
    if (name.equals("peer") || name.endsWith("Peer")) {
      try {
        return dev.weft.p2p.api.PeerId.fromBase58(part).toBase58().equals(part);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (name.equals("round") || name.endsWith("Round")) {
      return part.length() <= 18 && part.chars().allMatch(Character::isDigit) && (part.equals("0") || part.charAt(0) != '0');
    }
    return true;
  }

  /** Builds a key from variable values in pattern order (for typed views). */
  public String key(String... values) {
    List<String> out = new ArrayList<>();
    int v = 0;
    for (String s : segments) out.add(s.startsWith("{") ? values[v++] : s);
    if (v != values.length) throw new IllegalArgumentException(text + " takes " + v + " values");
    return String.join("/", out);
  }

  @Override public String toString() {
    return text;
  }
}
