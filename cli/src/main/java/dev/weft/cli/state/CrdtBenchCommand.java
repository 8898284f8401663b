package dev.weft.cli.state;

import dev.weft.crdt.bench.CrdtBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft bench crdt}: replicated-state throughput, anti-entropy bytes, RocksDB bytes per delta. */
@Command(name = "crdt", mixinStandardHelpOptions = true,
    description = {"Deltas merged/s, signatures verified/s, anti-entropy bytes at 1% divergence, RocksDB bytes per delta; prints markdown."})
public final class CrdtBenchCommand implements Callable<Integer> {
  @Option(names = "--keys", defaultValue = "10000", description = "Keys (one delta each) (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--writers", defaultValue = "10", description = "Writers the keys are spread over (default ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--dir", description = "Where the RocksDB measurement writes (a temporary folder inside; default: the system temp dir).")
  Path dir;

  @Override public Integer call() throws Exception {
    new CrdtBench(keys, writers).run(System.out, dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")));
    return 0;
  }
}
