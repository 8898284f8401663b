package dev.weft.cli.state;

import dev.weft.cli.p2p.ServeContext;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.replica.RocksReplicaStore;
import dev.weft.crdt.replica.StateRoot;
import dev.weft.crdt.type.Crdt;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft state}: inspect a replica's stored run state. */
@Command(name = "state", mixinStandardHelpOptions = true, description = "Inspect replicated run state.",
    subcommands = {StateCommand.Dump.class})
public final class StateCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Prints every key of a stored replica as one JSON line, then a summary line with the state root. */
  @Command(name = "dump", mixinStandardHelpOptions = true,
      description = "Print a stored replica: one JSON line per key, then {\"run\",\"root\",\"keys\",\"deltas\",\"writers\"}.")
  static final class Dump implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "The run id the store must hold.")
    String run;

    @Option(names = "--dir", required = true, description = "The replica's RocksDB directory.")
    Path dir;

    @Override public Integer call() throws Exception {
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no replica store at " + dir);
      ReplicaStore.Snapshot snap;
      try (RocksReplicaStore store = new RocksReplicaStore(dir, false)) {
        snap = store.load();
      }
      Set<String> writers = new HashSet<>();
      for (SignedDelta d : snap.deltas()) {
        if (!d.runId().equals(run)) throw new IllegalArgumentException("store at " + dir + " holds run " + d.runId() + ", not " + run);
        writers.add(d.writer().toBase58());
      }
      for (Map.Entry<String, Crdt> e : snap.state().entrySet()) out.println(ServeContext.JSON.writeValueAsString(ValueText.render(e.getKey(), e.getValue())));
      out.println(ServeContext.JSON.writeValueAsString(ServeContext.JSON.createObjectNode().put("run", run)
          .put("root", HexFormat.of().formatHex(StateRoot.of(snap.state()))).put("keys", snap.state().size())
          .put("deltas", snap.deltas().size()).put("writers", writers.size()).put("equivocators", snap.evidence().size())));
      out.flush();
      return 0;
    }
  }
}
