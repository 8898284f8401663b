package dev.weft.crdt.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.run.RunState;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.crdt.type.Bytes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a replica process in the middle of a write burst: restarted on the same RocksDB
 * directory it still has every delta it acknowledged, and one anti-entropy session with a peer
 * (over the process's stdin/stdout) brings both to the same state root.
 */
class RestartTest {
  @TempDir Path dir;

  @Test void killedReplicaKeepsEveryAcknowledgedDeltaAndConverges() throws Exception {
    Process burst = start("burst", dir.toString(), "100000");
    Replica peer = ReplicaProcess.open(ReplicaProcess.PARENT, ReplicaStore.NONE);
    new RunState(peer).join(Bytes.utf8("parent"));
    long lastAck = 0;
    int acks = 0;
    try (BufferedReader in = reader(burst)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("ACK ")) continue;
        String[] p = line.split(" ");
        lastAck = Long.parseLong(p[1]);
        // The peer saw only every third acknowledged delta: the rest must come from the restarted replica's disk.
        if (++acks % 3 == 0) assertThat(peer.receive(HexFormat.of().parseHex(p[2])).accepted()).isTrue();
        if (acks == 400) {
          // A real SIGKILL (Process.destroyForcibly would also close our end of its stdout).
          new ProcessBuilder("kill", "-9", Long.toString(burst.pid())).start().waitFor();
        }
      }
    }
    assertThat(burst.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(burst.exitValue()).as("killed, not finished").isNotZero();
    assertThat(lastAck).isGreaterThanOrEqualTo(400).isLessThan(100000);

    Process resume = start("resume", dir.toString());
    SyncSession s = new SyncSession(peer, dev.weft.p2p.api.PeerId.fromPublicKey(ReplicaProcess.CHILD.publicKey()), ReplicaProcess.SYNC);
    PrintStream toChild = new PrintStream(resume.getOutputStream(), false, StandardCharsets.UTF_8);
    String childRoot = null;
    long childSeq = -1;
    List<String> fails = new ArrayList<>();
    try (BufferedReader in = reader(resume)) {
      ReplicaProcess.emit(toChild, s.start());
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("SEQ ")) childSeq = Long.parseLong(line.substring(4));
        else if (line.startsWith("F ")) ReplicaProcess.emit(toChild, s.onFrame(HexFormat.of().parseHex(line.substring(2))));
        else if (line.startsWith("ROOT ")) childRoot = line.substring(5);
        else if (line.startsWith("FAIL")) fails.add(line);
      }
    }
    assertThat(resume.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(fails).isEmpty();
    assertThat(childSeq).as("every acknowledged delta survived the kill").isGreaterThanOrEqualTo(lastAck);
    assertThat(s.isOver()).isTrue();
    assertThat(childRoot).isEqualTo(HexFormat.of().formatHex(peer.stateRoot()));
    assertThat(peer.digest().writer(dev.weft.p2p.api.PeerId.fromPublicKey(ReplicaProcess.CHILD.publicKey())).contiguous()).isEqualTo(childSeq);
  }

  private static Process start(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ReplicaProcess.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }
}
