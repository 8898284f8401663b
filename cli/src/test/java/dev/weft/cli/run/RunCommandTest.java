package dev.weft.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import dev.weft.node.blocks.BlobId;
import dev.weft.node.peer.PeerNode;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft run publish/show/list} in-process against a real bootstrap peer on loopback. */
class RunCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path EXAMPLE = Path.of("../docs/examples/run.toml");
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(exit, out.toString(), err.toString());
  }

  Path copyExample() throws Exception {
    Path d = dir.resolve("example");
    Files.createDirectories(d.resolve("shards"));
    Files.copy(EXAMPLE, d.resolve("run.toml"));
    for (String s : new String[] {"shard-0.txt", "shard-1.txt"}) Files.copy(EXAMPLE.resolveSibling("shards").resolve(s), d.resolve("shards").resolve(s));
    return d.resolve("run.toml");
  }

  @Test
  void theExampleIsAValidRun() throws Exception {
    Path key = dir.resolve("coord.key");
    KeyFiles.save(Ed25519.fromSeedNumber(5), key);
    Result r = run("run", "publish", EXAMPLE.toString(), "--dry-run", "--key", key.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("run").asText()).endsWith("/tiny-example");
    assertThat(j.get("manifest").get("data").get("shards")).hasSize(2);
    assertThat(j.get("manifest").get("model").get("checkpoint").asText()).startsWith("bafkrei");
    Result human = run("run", "publish", EXAMPLE.toString(), "--dry-run", "--key", key.toString());
    assertThat(human.out()).isEmpty();
    assertThat(human.err()).contains("is a valid run").contains("centered-clip tolerating f = 1");
  }

  @Test
  void anInvalidRunIsRefusedWithALinePerField() throws Exception {
    Path toml = copyExample();
    String text = Files.readString(toml).replace("f = 1 ", "f = 2 ").replace("codec = \"int8\"", "codec = \"topk:0.1\"")
        .replace("rule = \"centered-clip\"", "rule = \"median\"");
    Files.writeString(toml, text);
    Result r = run("run", "publish", toml.toString(), "--dry-run", "--dir", dir.resolve("state").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not a valid run")
        .contains("aggregation.f: f = 2 is too large for round.quorum = 3")
        .contains("aggregation.codec: topk:0.1 sends a sparse update");
  }

  @Test
  void publishThenShowAndListFromAnotherPeer() throws Exception {
    Path toml = copyExample();
    Path key = dir.resolve("coord.key");
    KeyFiles.save(Ed25519.fromSeedNumber(6), key);
    try (PeerNode boot = PeerNode.start(Ed25519.fromSeedNumber(7), PeerNode.Config.loopback(dir.resolve("boot")))) {
      String b = boot.addresses().get(0).toString();
      Result pub = run("run", "publish", toml.toString(), "--key", key.toString(), "--dir", dir.resolve("coord").toString(), "--bootstrap", b,
          "--listen", "/ip4/127.0.0.1/tcp/0", "--serve-for", "0", "--json");
      assertThat(pub.exit()).as(pub.err()).isZero();
      JsonNode published = JSON.readTree(pub.out().lines().findFirst().orElseThrow());
      String id = published.get("run").asText();
      assertThat(published.get("storedOn").asInt()).isPositive();
      assertThat(published.get("seeded")).hasSize(3);
      // the coordinator's blob store kept what it seeded
      String ckpt = published.get("seeded").get(0).get("blob").asText();
      try (var store = dev.weft.node.blocks.BlobStore.open(dir.resolve("coord").resolve("blobs"), dev.weft.node.blocks.BlocksConfig.defaults())) {
        assertThat(store.isComplete(BlobId.parse(ckpt))).isTrue();
      }

      Result show = run("run", "show", id, "--bootstrap", b, "--listen", "/ip4/127.0.0.1/tcp/0", "--json");
      assertThat(show.exit()).as(show.err()).isZero();
      JsonNode shown = JSON.readTree(show.out());
      assertThat(shown.get("verified").asBoolean()).isTrue();
      assertThat(shown.get("manifest").get("model").get("checkpoint").asText()).isEqualTo(ckpt);

      Result list = run("run", "list", "--bootstrap", b, "--listen", "/ip4/127.0.0.1/tcp/0", "--json");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(JSON.readTree(list.out()).get("runs").findValuesAsText("run")).contains(id);

      Result missing = run("run", "show", id.replace("tiny-example", "nothing-here"), "--bootstrap", b, "--listen", "/ip4/127.0.0.1/tcp/0");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("not found in the DHT");
    }
    assertThat(boot(dir)).isTrue();
  }

  private static boolean boot(Path dir) {
    return Files.isDirectory(dir.resolve("boot").resolve("dht"));
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Result r = run("run", "show", "not-a-run-id");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("a run id is <coordinator peer id>/<name>");
    Result d = run("run", "publish", EXAMPLE.toString(), "--dry-run", "--serve-for", "soon", "--dir", dir.toString());
    assertThat(d.exit()).isEqualTo(1);
    assertThat(d.err()).contains("--serve-for must look like");
  }

}
