package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Jazzer {@code @FuzzTest} in every module has a checked-in, non-empty seed corpus
 * ({@code src/test/resources/<package>/<Class>Inputs/<method>/}). Without one, CI's regression
 * run replays only the empty input and the test fuzzes nothing. This lives in the last module
 * built so it sees all the others' sources.
 */
class FuzzCorpusPresenceTest {
  private static final Pattern FUZZ_METHOD = Pattern.compile("@FuzzTest[^\\n]*\\n\\s*(?:public\\s+)?void\\s+(\\w+)\\s*\\(");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

  @Test
  void everyFuzzTestHasASeedCorpus() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> missing = new ArrayList<>();
    int methods = 0;
    try (Stream<Path> files = Files.walk(root, 12)) {
      for (Path f : files.filter(p -> p.toString().endsWith("FuzzTest.java") && p.toString().contains("/src/test/java/")
          && !p.toString().contains("/target")).toList()) {
        String src = Files.readString(f);
        Matcher pkg = PACKAGE.matcher(src);
        if (!pkg.find()) continue;
        String cls = f.getFileName().toString().replace(".java", "");
        Path module = Path.of(f.toString().substring(0, f.toString().indexOf("/src/test/java/")));
        Matcher m = FUZZ_METHOD.matcher(src);
        while (m.find()) {
          methods++;
          Path dir = module.resolve("src/test/resources").resolve(pkg.group(1).replace('.', '/')).resolve(cls + "Inputs").resolve(m.group(1));
          boolean ok;
          try (Stream<Path> seeds = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            ok = seeds.anyMatch(Files::isRegularFile);
          }
          if (!ok) missing.add(root.relativize(dir).toString());
        }
      }
    }
    assertThat(methods).as("fuzz methods found (is the source tree here?)").isGreaterThan(10);
    assertThat(missing).as("fuzz tests without a seed corpus").isEmpty();
  }
}
