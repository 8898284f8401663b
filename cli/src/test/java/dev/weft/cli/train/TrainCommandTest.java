package dev.weft.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import dev.weft.node.train.checkpoint.CheckpointFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    StringWriter perr = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cl = Main.commandLine();
      cl.setErr(new PrintWriter(perr, true));
      int code = cl.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + perr);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test void localMlpRunTrainsWritesOutputsAndResumes(@TempDir Path dir) throws Exception {
    Run r = run("train", "local", "--model", "mlp", "--workers", "2", "--rounds", "2", "--inner-steps", "20", "--threads", "1", "--out", dir.toString(),
        "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("finalValidationLoss").asDouble()).isLessThan(j.get("initialValidationLoss").asDouble() - 1.0);
    assertThat(Files.readAllLines(dir.resolve("loss.csv"))).hasSize(4).first().asString().startsWith("round,tokens");
    assertThat(Files.readString(dir.resolve("loss.svg"))).startsWith("<svg").contains("<polyline");
    assertThat(CheckpointFiles.read(dir.resolve("checkpoint.safetensors")).round()).isEqualTo(2);
    assertThat(r.err()).contains("100%");

    Path second = dir.resolve("second");
    Run resumed = run("train", "local", "--resume", dir.resolve("checkpoint.safetensors").toString(), "--workers", "2", "--rounds", "1",
        "--inner-steps", "20", "--threads", "1", "--out", second.toString(), "--json");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(CheckpointFiles.read(second.resolve("checkpoint.safetensors")).round()).isEqualTo(3);
    assertThat(new ObjectMapper().readTree(resumed.out()).get("initialValidationLoss").asDouble())
        .isEqualTo(j.get("finalValidationLoss").asDouble());
    assertThat(Files.readAllLines(second.resolve("loss.csv"))).hasSize(3); // a new folder: a new file

    // resuming into the same folder appends: header, round 0, 1, 2 from the first run, then 3
    Run again = run("train", "local", "--resume", dir.resolve("checkpoint.safetensors").toString(), "--workers", "2", "--rounds", "1",
        "--inner-steps", "20", "--threads", "1", "--out", dir.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).as("no --json: nothing on stdout").isEmpty();
    assertThat(again.err()).contains("appended to loss.csv");
    var lines = Files.readAllLines(dir.resolve("loss.csv"));
    assertThat(lines).hasSize(5);
    assertThat(lines.get(4)).startsWith("3,");
    long tokensBefore = Long.parseLong(lines.get(3).split(",")[1]), tokensAfter = Long.parseLong(lines.get(4).split(",")[1]);
    assertThat(tokensAfter).isEqualTo(tokensBefore + tokensBefore / 2); // one more round of the same size
  }

  @Test void workersAreLimitedToTheNumberOfShards(@TempDir Path dir) throws Exception {
    Path small = dir.resolve("small.txt");
    Files.writeString(small, "the quick brown fox jumps over the lazy dog. ".repeat(400)); // 18 KB: 2 shards of 8 KiB
    Run r = run("train", "local", "--model", "mlp", "--data", small.toString(), "--workers", "5", "--out", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("weft: --workers 5 is more than the").contains("training shards");
    Run huge = run("train", "local", "--model", "mlp", "--workers", "100000", "--out", dir.toString());
    assertThat(huge.exit()).isEqualTo(2);
    assertThat(huge.err()).contains("more than the limit of 256");
    assertThat(Files.exists(dir.resolve("loss.csv"))).isFalse();
  }

  @Test void modelWithResumeIsAConflict(@TempDir Path dir) throws Exception {
    Run r = run("train", "local", "--model", "mlp", "--resume", dir.resolve("c.safetensors").toString(), "--out", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("weft: --model and --resume conflict");
  }

  @Test void aRuleNeedingMoreWorkersIsAUsageError(@TempDir Path dir) throws Exception {
    Run r = run("train", "local", "--model", "mlp", "--workers", "2", "--rule", "krum:1", "--out", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("needs at least 5 workers");
    Run bad = run("train", "local", "--model", "mlp", "--codec", "zip", "--out", dir.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown codec: zip");
  }

  @Test void binaryDataFileFailsWithOneLineError(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.bin");
    byte[] b = new byte[5000];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (0x80 + i % 64);
    Files.write(bad, b);
    Run r = run("train", "local", "--model", "mlp", "--data", bad.toString(), "--out", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("weft: ").contains("not valid UTF-8");
  }

  @Test void corruptCheckpointFailsWithOneLineError(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("c.safetensors");
    Files.write(ckpt, new byte[] {1, 2, 3});
    Run r = run("train", "local", "--resume", ckpt.toString(), "--out", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("weft: checkpoint truncated");
  }
}
