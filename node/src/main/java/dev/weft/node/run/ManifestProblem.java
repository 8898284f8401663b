package dev.weft.node.run;

/** One thing wrong with a manifest: the field (TOML path, e.g. {@code aggregation.f}) and why. */
public record ManifestProblem(String field, String message) {
  @Override public String toString() {
    return field + ": " + message;
  }
}
