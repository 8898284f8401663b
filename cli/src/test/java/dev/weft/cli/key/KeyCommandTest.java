package dev.weft.cli.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.CliRun;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void newThenShow() throws Exception {
    Path file = dir.resolve("node.key");
    CliRun created = run("key", "new", "--out", file.toString(), "--json");
    assertThat(created.exit()).isZero();
    JsonNode json = new ObjectMapper().readTree(created.out());
    String peerId = json.get("peerId").asText();
    assertThat(json.get("file").asText()).isEqualTo(file.toAbsolutePath().toString());
    assertThat(PeerId.fromPublicKey(KeyFiles.load(file).publicKey()).toBase58()).isEqualTo(peerId);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    CliRun shown = run("key", "show", file.toString());
    assertThat(shown.exit()).isZero();
    assertThat(shown.out()).as("human mode keeps stdout empty").isEmpty();
    assertThat(shown.err()).contains(peerId);

    CliRun shownJson = run("key", "show", "--json", file.toString());
    JsonNode j = new ObjectMapper().readTree(shownJson.out());
    assertThat(j.get("peerId").asText()).isEqualTo(peerId);
    assertThat(PeerId.parse(j.get("cid").asText()).toBase58()).isEqualTo(peerId);
    assertThat(j.get("type").asText()).isEqualTo("ED25519");
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    Path file = dir.resolve("node.key");
    assertThat(run("key", "new", "--out", file.toString()).exit()).isZero();
    byte[] before = Files.readAllBytes(file);
    CliRun again = run("key", "new", "--out", file.toString());
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("already exists").contains("--force");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    CliRun forced = run("key", "new", "--out", file.toString(), "--force");
    assertThat(forced.exit()).isZero();
    assertThat(Files.readAllBytes(file)).isNotEqualTo(before);
  }

  @Test
  void showReportsCorruptFileInOneLine() throws Exception {
    Path file = dir.resolve("bad.key");
    Files.write(file, new byte[] {1, 2, 3});
    Files.setPosixFilePermissions(file, KeyFiles.OWNER_ONLY);
    CliRun r = run("key", "show", file.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err().trim()).startsWith("weft: key file").contains("corrupt").doesNotContain("\n");
  }

  @Test
  void showReportsMissingFile() {
    CliRun r = run("key", "show", dir.resolve("nope.key").toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err().trim()).isEqualTo("weft: key file " + dir.resolve("nope.key") + " not found");
  }

  @Test
  void humanModeOfNewWritesOnlyStderr() {
    CliRun r = run("key", "new", "--out", dir.resolve("h.key").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("weft: wrote ").contains("peer id 12D3KooW");
  }

  @Test
  void showOfADirectoryNamesTheFileAndTheReason() {
    CliRun r = run("key", "show", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().trim()).contains(dir.toString()).containsIgnoringCase("directory").doesNotContain("\n");
  }

  @Test
  void helpEverywhere() {
    assertThat(run("key", "--help").out()).contains("new").contains("show");
    assertThat(run("key", "new", "--help").out()).contains("--out").contains("--force");
    assertThat(run("key", "show", "--help").out()).contains("FILE");
  }
}
