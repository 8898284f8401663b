package dev.weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks keep the output rule: report on stderr, stdout empty unless --json, --out FILE. */
class BenchOutputTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void crdtBenchReportGoesToStderrAndItsTablesToStdoutWithJson() throws Exception {
    Path report = dir.resolve("crdt.md");
    CliRun human = run("bench", "crdt", "--keys", "300", "--writers", "3", "--dir", dir.toString(), "--out", report.toString());
    assertThat(human.exit()).as(human.err()).isZero();
    assertThat(human.out()).as("human mode keeps stdout empty").isEmpty();
    assertThat(human.err()).contains("|---");
    assertThat(Files.readString(report)).contains("|---").isSubstringOf(human.err().replace("\r", ""));

    CliRun json = run("bench", "crdt", "--keys", "300", "--writers", "3", "--dir", dir.toString(), "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("bench").asText()).isEqualTo("crdt");
    assertThat(doc.get("tables").size()).isPositive();
    assertThat(doc.get("tables").get(0).get("rows").size()).isPositive();
  }

  @Test
  void badBoundsAreUsageErrors() {
    CliRun r = run("bench", "crdt", "--keys", "10", "--writers", "11");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("--writers");
  }
}
