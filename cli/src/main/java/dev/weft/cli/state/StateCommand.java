package dev.weft.cli.state;

import dev.weft.cli.p2p.ServeContext;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.ReplicaStore;
import dev.weft.crdt.replica.RocksReplicaStore;
import dev.weft.crdt.replica.StateRoot;
import dev.weft.crdt.type.Crdt;
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
    footer = {"", "Examples:", "  weft state dump --run my-run --dir ~/.weft/state", "  weft state dump --run my-run --dir state --json | jq .root"},
    subcommands = {StateCommand.Dump.class})
public final class StateCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Prints every key of a stored replica as one JSON line, then a summary line with the state root. */
  @Command(name = "dump", mixinStandardHelpOptions = true,
      description = {"Print a stored replica: one line per key, then its state root and counts.",
          "With --json: one JSON line per key, then {\"run\",\"root\",\"keys\",\"deltas\",\"writers\",\"equivocators\"}."},
      footer = {"", "Examples:", "  weft state dump --run my-run --dir state", "  weft state dump --run my-run --dir state --json"})
  static final class Dump implements Callable<Integer> {
    @picocli.CommandLine.Mixin dev.weft.cli.common.Output output;

    @Option(names = "--run", required = true, description = "The run id the store must hold.")
    String run;

    @Option(names = "--dir", required = true, description = "The replica's RocksDB directory.")
    Path dir;

    @Override public Integer call() throws Exception {
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
      for (Map.Entry<String, Crdt> e : snap.state().entrySet()) {
        com.fasterxml.jackson.databind.node.ObjectNode line = ValueText.render(e.getKey(), e.getValue());
        if (output.json()) output.json(line);
        else {
          com.fasterxml.jackson.databind.node.ObjectNode rest = line.deepCopy();
          rest.remove("key");
          output.say("%s (%s) %s", e.getKey(), rest.remove("type").asText(), rest);
        }
      }
      String root = HexFormat.of().formatHex(StateRoot.of(snap.state()));
      output.result(ServeContext.JSON.createObjectNode().put("run", run).put("root", root).put("keys", snap.state().size())
          .put("deltas", snap.deltas().size()).put("writers", writers.size()).put("equivocators", snap.evidence().size()),
          String.format("run %s: root %s, %d keys, %d deltas from %d writers, %d equivocators", run, root,
              snap.state().size(), snap.deltas().size(), writers.size(), snap.evidence().size()));
      return 0;
    }
  }
}
