package dev.weft.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.Main;
import dev.weft.node.peer.PeerNode;
import dev.weft.node.train.data.SyntheticCorpus;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networked DiLoCo end to end, in real processes on loopback: a coordinator publishes an
 * allowlisted run of the tiny GPT and is killed once the first volunteers hold its blobs; five
 * volunteers train (one of them sends NaN-filled contributions, another oversized ones); a sixth joins late and downloads
 * the checkpoint and its shard from the volunteers; one honest volunteer is killed with kill -9
 * mid-run and restarted from its directory. Every honest node must report the same θ hash for
 * every round it applied, the attacker must be rejected and banned with evidence, the killed node
 * must catch up and finish, and validation loss must fall.
 */
class NodeTrainingProcessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int ROUNDS = 7;
  @TempDir Path dir;
  final List<Process> processes = new CopyOnWriteArrayList<>();
  /** The latest process started under each label. */
  final Map<String, Process> byLabel = new ConcurrentHashMap<>();
  /** Every JSON line each volunteer printed, by label (a restarted one keeps its label). */
  final Map<String, List<JsonNode>> lines = new ConcurrentHashMap<>();

  Process weft(String label, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "--add-modules", "jdk.incubator.vector", "-Xmx768m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr-" + label + "-" + processes.size() + ".txt").toFile()).start();
    processes.add(p);
    byLabel.put(label, p);
    List<JsonNode> seen = lines.computeIfAbsent(label, k -> new CopyOnWriteArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          try {
            seen.add(JSON.readTree(line));
          } catch (java.io.IOException e) {
            // not a JSON line
          }
        }
      } catch (java.io.IOException e) {
        // process gone
      }
    }, "reader-" + label);
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  JsonNode await(String label, Predicate<JsonNode> what, String description, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (JsonNode n : lines.getOrDefault(label, List.of())) if (what.test(n)) return n;
      Thread.sleep(100);
    }
    throw new AssertionError(label + ": no " + description + " within " + seconds + " s; saw " + lines.getOrDefault(label, List.of()) + "\nstderr:\n" + stderr(label));
  }

  String stderr(String label) throws Exception {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("stderr-" + label + "-")).sorted().toList()) {
        List<String> all = Files.readAllLines(f);
        b.append("== ").append(f.getFileName()).append('\n').append(String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()))).append('\n');
      }
    }
    return b.toString();
  }

  static Predicate<JsonNode> event(String e) {
    return n -> e.equals(n.path("event").asText());
  }

  static Predicate<JsonNode> appliedRound(long r) {
    return n -> "round".equals(n.path("event").asText()) && n.path("round").asLong() >= r;
  }

  @AfterEach void stop() {
    for (Process p : processes) p.destroyForcibly();
    // What each node saw, for whoever reads a failure (surefire keeps the test's output).
    for (Map.Entry<String, List<JsonNode>> e : new TreeMap<>(lines).entrySet()) {
      for (JsonNode n : e.getValue()) System.out.println(e.getKey() + " " + n);
    }
  }

  @Test
  void sixVolunteersTrainWithoutTheCoordinatorThroughAKillALateJoinAndTwoAttackers() throws Exception {
    String[] labels = {"a", "b", "c", "nan", "big", "late"};
    Map<String, PrivKey> keys = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      PrivKey k = Ed25519.fromSeedNumber(9100 + i);
      keys.put(labels[i], k);
      Files.createDirectories(dir.resolve(labels[i]));
      KeyFiles.save(k, dir.resolve(labels[i]).resolve("identity.key"));
    }
    Path coordKey = dir.resolve("coord.key");
    KeyFiles.save(Ed25519.fromSeedNumber(9099), coordKey);
    byte[] corpus = SyntheticCorpus.defaultCorpus();
    List<String> shardFiles = new ArrayList<>();
    int shardBytes = 12 * 1024;
    for (int i = 0; i < labels.length; i++) {
      Path f = dir.resolve("shard-" + i + ".txt");
      Files.write(f, Arrays.copyOfRange(corpus, i * shardBytes, (i + 1) * shardBytes));
      shardFiles.add("\"" + f.getFileName() + "\"");
    }
    StringBuilder allow = new StringBuilder();
    for (PrivKey k : keys.values()) allow.append(allow.isEmpty() ? "" : ", ").append('"').append(PeerId.fromPublicKey(k.publicKey()).toBase58()).append('"');
    Path toml = dir.resolve("run.toml");
    Files.writeString(toml, """
        name = "process-test"
        [model]
        spec = "gpt-micro"
        seed = 3
        [data]
        files = [%s]
        shards_per_peer = 1
        [training]
        inner_steps = 8
        rounds = %d
        checkpoint_every = 1
        batch_rows = 8
        [inner]
        lr = 0.002
        warmup_steps = 4
        [outer]
        optimizer = "nesterov"
        lr = 0.7
        momentum = 0.9
        [aggregation]
        rule = "geometric-median"
        f = 1
        codec = "bf16"
        [round]
        quorum = 3
        min_contributions = 3
        max_voters = 16
        [admission]
        policy = "allowlist"
        allow = [%s]
        [limits]
        max_contribution_bytes = 67108864
        max_peers = 64
        round_timeout_ms = 20000
        """.formatted(String.join(", ", shardFiles), ROUNDS, allow));

    try (PeerNode boot = PeerNode.start(Ed25519.fromSeedNumber(9098), PeerNode.Config.loopback(dir.resolve("boot")))) {
      String b = boot.addresses().get(0).toString();
      Process coord = weft("coord", "run", "publish", toml.toString(), "--key", coordKey.toString(), "--dir", dir.resolve("coord").toString(),
          "--bootstrap", b, "--listen", "/ip4/127.0.0.1/tcp/0", "--json");
      String run = await("coord", event("published"), "publication", 90).get("run").asText();
      for (String l : List.of("a", "b", "c", "nan", "big")) {
        List<String> args = new ArrayList<>(List.of("node", "--run", run, "--bootstrap", b, "--dir", dir.resolve(l).toString(), "--listen",
            "/ip4/127.0.0.1/tcp/0", "--json", "--status-every", "0"));
        if (l.equals("nan")) args.addAll(List.of("--misbehave", "nan"));
        if (l.equals("big")) args.addAll(List.of("--misbehave", "oversized"));
        weft(l, args.toArray(String[]::new));
      }
      for (String l : List.of("a", "b", "c", "nan", "big")) await(l, event("training"), "start of training", 180);
      // The coordinator is not needed any more: the volunteers hold and serve its blobs.
      coord.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      await("a", appliedRound(1), "round 1", 240);
      weft("late", "node", "--run", run, "--bootstrap", b, "--dir", dir.resolve("late").toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--json",
          "--status-every", "0");
      await("late", event("training"), "start of training", 180);
      await("late", appliedRound(0), "an applied round", 240);

      // kill -9 an honest volunteer mid-run; the other voters keep the quorum (the banned ones no longer count).
      long killedAt = lastRound("a");
      Process a = byLabel.get("a");
      a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      await("b", appliedRound(killedAt + 1), "a round without the killed node", 240);
      weft("a", "node", "--run", run, "--bootstrap", b, "--dir", dir.resolve("a").toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--json",
          "--status-every", "0");

      for (String l : List.of("a", "b", "c", "late")) await(l, event("finished"), "the end of the run", 420);

      // Every honest node applied the same θ and the same certified state root in every round it reports.
      Map<Long, String> hashes = new TreeMap<>();
      Map<Long, String> roots = new TreeMap<>();
      for (String l : List.of("a", "b", "c", "late")) {
        for (JsonNode n : lines.get(l)) {
          if (!event("round").test(n)) continue;
          String prev = hashes.putIfAbsent(n.get("round").asLong(), n.get("thetaHash").asText());
          assertThat(prev == null || prev.equals(n.get("thetaHash").asText())).as(l + " round " + n.get("round") + " θ hash").isTrue();
          assertThat(n.get("stateRoot").asText()).hasSize(64);
          String prevRoot = roots.putIfAbsent(n.get("round").asLong(), n.get("stateRoot").asText());
          assertThat(prevRoot == null || prevRoot.equals(n.get("stateRoot").asText())).as(l + " round " + n.get("round") + " state root").isTrue();
        }
      }
      assertThat(hashes.keySet()).as("rounds applied").contains((long) ROUNDS - 1);
      // The attackers' NaN-filled and oversized contributions were rejected, and both were banned on
      // certified evidence.
      List<JsonNode> bLines = lines.get("b");
      for (String bad : List.of("nan", "big")) {
        String attacker = PeerId.fromPublicKey(keys.get(bad).publicKey()).toBase58();
        assertThat(bLines).as(bad + " rejected").anySatisfy(n -> {
          assertThat(event("round").test(n)).isTrue();
          assertThat(n.get("fates").toString()).contains(attacker).contains("rejected");
        });
        assertThat(bLines).as(bad + " banned").anySatisfy(n -> {
          assertThat(event("round").test(n)).isTrue();
          assertThat(n.get("bans").toString()).contains(attacker);
        });
      }
      // The killed node restarted from its directory: it caught up rather than starting over.
      List<JsonNode> aLines = lines.get("a");
      assertThat(aLines.stream().filter(event("training")).toList()).hasSize(2);
      assertThat(aLines.stream().filter(event("training")).toList().get(1).get("round").asLong()).as("restart round").isPositive();
      // The late joiner downloaded the run's blobs from volunteers (the coordinator was gone).
      assertThat(lines.get("late")).anySatisfy(n -> {
        assertThat(n.path("event").asText()).isEqualTo("downloaded");
        assertThat(n.path("role").asText()).isEqualTo("checkpoint");
        assertThat(n.path("fetchedChunks").asInt()).isPositive();
      });
      // Validation loss fell on an honest node that ran the whole time.
      List<Double> loss = bLines.stream().filter(event("validation")).map(n -> n.get("loss").asDouble()).toList();
      assertThat(loss).hasSizeGreaterThanOrEqualTo(3);
      assertThat(loss.getLast()).as("validation loss " + loss).isLessThan(loss.getFirst());
    }
  }

  long lastRound(String label) {
    long r = -1;
    for (JsonNode n : lines.get(label)) if (event("round").test(n)) r = Math.max(r, n.get("round").asLong());
    return r;
  }

}
