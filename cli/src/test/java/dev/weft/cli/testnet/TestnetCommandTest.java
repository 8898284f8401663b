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

  /** Each bad value is a usage error (exit 2) that names it, before any node starts. */
  @Test
  void badChurnAndPartitionValuesAreUsageErrorsNamingTheValue() {
    String[][] cases = {
        {"--churn", "1"}, {"'1': churn must be at least 0 and below 1"},
        {"--churn", "-0.1"}, {"'-0.1': churn must be at least 0 and below 1"},
        {"--churn", "lots"}, {"'lots' is not a probability"},
        {"--partition", "2"}, {"'2' is not ROUND:SECONDS[:CUT]"},
        {"--partition", "2:x"}, {"'2:x' is not ROUND:SECONDS[:CUT]"},
        {"--partition", "2:0"}, {"'2:0': the seconds must be 1..3600"},
        {"--partition", "-1:5"}, {"'-1:5': the round must be >= 0"},
        {"--partition", "2:5:0"}, {"'2:5:0': the cut must be at least 1 node"},
        {"--partition", "9:10", "--rounds", "8"}, {"--partition 9:10: round must be 0..7"},
        {"--partition", "1:10:4", "--nodes", "4"}, {"--partition 1:10:4: cutting off 4 of 4 nodes leaves the other side empty"},
        {"--partition", "1:5,1:6"}, {"--partition 1:6: a second partition at round 1"},
    };
    for (int i = 0; i < cases.length; i += 2) {
      String[] args = new String[cases[i].length + 2];
      args[0] = "testnet";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      args[args.length - 1] = "--no-clean";
      Run r = run(args);
      assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains(cases[i + 1][0]);
      assertThat(r.out()).isEmpty();
    }
    Run help = run("testnet", "--help");
    assertThat(help.out() + help.err()).contains("--churn", "--partition", "weft testnet --churn 0.2", "weft testnet --nodes 4 --partition 2:15:1");
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
