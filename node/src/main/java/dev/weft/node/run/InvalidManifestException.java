package dev.weft.node.run;

import java.util.List;

/** A manifest that cannot be used; {@link #problems()} names every field at fault. */
public final class InvalidManifestException extends Exception {
  private final transient List<ManifestProblem> problems;

  public InvalidManifestException(List<ManifestProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidManifestException(String field, String message) {
    this(List.of(new ManifestProblem(field, message)));
  }

  public List<ManifestProblem> problems() {
    return problems;
  }

  private static String describe(List<ManifestProblem> problems) {
    if (problems.size() == 1) return "invalid run manifest: " + problems.get(0);
    StringBuilder b = new StringBuilder("invalid run manifest (" + problems.size() + " problems): ");
    for (int i = 0; i < problems.size(); i++) b.append(i == 0 ? "" : "; ").append(problems.get(i));
    return b.toString();
  }
}
