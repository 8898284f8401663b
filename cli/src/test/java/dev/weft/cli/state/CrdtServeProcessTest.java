package dev.weft.cli.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code weft p2p serve} processes on loopback TCP: one writes 10,000 keys of a run's state
 * (not published, so only anti-entropy can move them), the other connects and syncs; both report
 * the same state root, and {@code weft state dump} of the writer's RocksDB directory agrees.
 */
class CrdtServeProcessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  /** One serve process and its line-oriented stdin/stdout. */
  final class Serve {
    final Process process;
    final PrintWriter in;
    final BufferedReader out;
    final JsonNode identity;

    Serve() throws Exception {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
          "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "p2p", "serve");
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      processes.add(process);
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      identity = JSON.readTree(out.readLine());
    }

    /** Sends a command and returns its reply (skipping event lines). */
    JsonNode call(String json) throws Exception {
      in.println(json);
      String line;
      while ((line = out.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        if (n.has("event")) continue;
        assertThat(n.has("error")).as(line).isFalse();
        return n;
      }
      throw new AssertionError("serve process ended while waiting for a reply to " + json);
    }

    String peer() {
      return identity.get("peerId").asText();
    }

    String addr() {
      return identity.get("addrs").get(0).asText() + (identity.get("addrs").get(0).asText().contains("/p2p/") ? "" : "/p2p/" + peer());
    }
  }

  @AfterEach void stop() {
    for (Process p : processes) p.destroyForcibly();
  }

  @Test void twoServeProcessesReplicateTenThousandKeysAndAgreeOnTheDigest() throws Exception {
    Serve a = new Serve();
    Serve b = new Serve();
    Path aDir = dir.resolve("a");
    a.call("{\"cmd\":\"crdt.open\",\"run\":\"r1\",\"dir\":\"" + aDir + "\"}");
    b.call("{\"cmd\":\"crdt.open\",\"run\":\"r1\",\"coordinator\":\"" + a.peer() + "\"}");
    JsonNode filled = a.call("{\"cmd\":\"crdt.fill\",\"count\":10000,\"publish\":false}");
    assertThat(filled.get("keys").asInt()).isEqualTo(10_000);
    b.call("{\"cmd\":\"dial\",\"addr\":\"" + a.addr() + "\"}");
    JsonNode synced = b.call("{\"cmd\":\"crdt.sync\",\"peer\":\"" + a.peer() + "\"}");
    JsonNode da = a.call("{\"cmd\":\"crdt.digest\"}");
    JsonNode db = b.call("{\"cmd\":\"crdt.digest\"}");
    assertThat(db.get("keys").asInt()).as(synced.toString()).isEqualTo(10_000);
    assertThat(db.get("root").asText()).isEqualTo(da.get("root").asText());
    JsonNode one = b.call("{\"cmd\":\"crdt.get\",\"key\":\"contrib/777/" + a.peer() + "\"}");
    assertThat(one.get("value").asText()).isEqualTo("contribution-777");

    a.in.close();
    assertThat(a.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    ByteArrayOutputStream dump = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int rc;
    try {
      System.setOut(new PrintStream(dump, true, StandardCharsets.UTF_8));
      rc = Main.commandLine().execute("state", "dump", "--json", "--run", "r1", "--dir", aDir.toString());
    } finally {
      System.setOut(old);
    }
    assertThat(rc).isZero();
    String[] lines = dump.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(10_001);
    JsonNode summary = JSON.readTree(lines[lines.length - 1]);
    assertThat(summary.get("root").asText()).isEqualTo(db.get("root").asText());
    assertThat(summary.get("keys").asInt()).isEqualTo(10_000);
  }
}
