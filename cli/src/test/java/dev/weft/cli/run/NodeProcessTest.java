package dev.weft.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import dev.weft.node.peer.PeerNode;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on loopback: a coordinator publishes a run and serves it; a volunteer joins and
 * serves on; the coordinator is killed with kill -9; a second volunteer still joins, downloading
 * the checkpoint and shards from the first.
 */
class NodeProcessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();

  Process weft(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr-" + processes.size() + ".txt").toFile()).start();
    processes.add(p);
    return p;
  }

  /** Reads JSON lines until one has {@code "event": event}. */
  static JsonNode until(BufferedReader r, String event, List<JsonNode> seen) throws Exception {
    String line;
    while ((line = r.readLine()) != null) {
      JsonNode n = JSON.readTree(line);
      seen.add(n);
      if (event.equals(n.path("event").asText())) return n;
    }
    throw new AssertionError("process ended before '" + event + "'; saw " + seen);
  }

  static BufferedReader stdout(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  @AfterEach void stop() {
    for (Process p : processes) p.destroyForcibly();
  }

  @Test
  void aVolunteerJoinsAfterTheCoordinatorWasKilled() throws Exception {
    Path example = Path.of("../docs/examples");
    Path key = dir.resolve("coord.key");
    KeyFiles.save(Ed25519.fromSeedNumber(4242), key);
    try (PeerNode boot = PeerNode.start(Ed25519.fromSeedNumber(4243), PeerNode.Config.loopback(dir.resolve("boot")))) {
      String b = boot.addresses().get(0).toString();
      Process coord = weft("run", "publish", example.resolve("run.toml").toString(), "--key", key.toString(), "--dir", dir.resolve("coord").toString(),
          "--bootstrap", b, "--listen", "/ip4/127.0.0.1/tcp/0", "--json");
      List<JsonNode> seen = new ArrayList<>();
      JsonNode published = until(stdout(coord), "published", seen);
      String run = published.get("run").asText();
      int blobs = published.get("seeded").size();

      Process v1 = weft("node", "--run", run, "--bootstrap", b, "--dir", dir.resolve("v1").toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--json");
      BufferedReader v1out = stdout(v1);
      List<JsonNode> v1seen = new ArrayList<>();
      until(v1out, "ready", v1seen);
      assertThat(v1seen).anySatisfy(n -> assertThat(n.path("event").asText()).isEqualTo("checkpoint-verified"));
      assertThat(v1seen).filteredOn(n -> n.path("event").asText().equals("downloaded")).hasSize(2);

      coord.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      Process v2 = weft("node", "--run", run, "--bootstrap", b, "--dir", dir.resolve("v2").toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--json",
          "--exit-when-ready");
      List<JsonNode> v2seen = new ArrayList<>();
      until(stdout(v2), "ready", v2seen);
      assertThat(v2.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(v2.exitValue()).as(Files.readString(dir.resolve("stderr-2.txt"))).isZero();
      JsonNode ckpt = v2seen.stream().filter(n -> n.path("event").asText().equals("downloaded") && n.path("role").asText().equals("checkpoint"))
          .findFirst().orElseThrow();
      assertThat(ckpt.get("fetchedChunks").asInt()).isPositive();
      assertThat(ckpt.get("providers").asInt()).isEqualTo(1);
      assertThat(blobs).isEqualTo(3);
    }
  }
}
