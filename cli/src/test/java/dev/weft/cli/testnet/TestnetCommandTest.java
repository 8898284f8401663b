package dev.weft.cli.testnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestnetCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void badScenariosAreRefusedWithTheFieldAtFault() {
    Run r = run("testnet", "--nodes", "3", "--kill", "node-7@2", "--no-clean");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--kill node-7@2: no such node");
    r = run("testnet", "--nodes", "3", "--kill", "none", "--join", "node-1@2");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("node-1 is running then");
    r = run("testnet", "--attack", "teleport");
    assertThat(r.err()).contains("unknown attack 'teleport'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aTinyRunWritesTheReportAndJsonOnStdout(@TempDir Path dir) throws Exception {
    Run r = run("testnet", "--nodes", "3", "--byzantine", "1", "--attack", "nan", "--kill", "none", "--join", "none", "--rounds", "2",
        "--no-clean", "--cutoff-ms", "60000", "--out", dir.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("completed").asBoolean()).isTrue();
    assertThat(j.get("disagreements")).isEmpty();
    assertThat(j.get("rounds")).hasSize(2);
    // The NaN attacker's payload is refused by the decoder in round 0 by every honest node, and the
    // certified undecodable blob bans it from round 1 on: it is sealed no more.
    assertThat(j.get("rounds").get(0).get("fates").get("node-2").asText()).isEqualTo("rejected");
    assertThat(j.get("rounds").get(1).get("fates").has("node-2")).isFalse();
    assertThat(j.get("bans")).singleElement().satisfies(b -> {
      assertThat(b.get("node").asText()).isEqualTo("node-2");
      assertThat(b.get("round").asLong()).isZero();
      assertThat(b.get("evidence").asText()).contains("does not decode");
    });
    assertThat(Files.readString(dir.resolve("report.md"))).contains("**Verdict:**").contains("node-2 | Byzantine | 0 | 0 | 1").contains("node-2 banned");
    assertThat(dir.resolve("loss.svg")).exists();
    assertThat(r.err()).contains("verdict:");
  }
}
