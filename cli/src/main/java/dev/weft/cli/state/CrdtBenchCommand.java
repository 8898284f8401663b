package dev.weft.cli.state;

import dev.weft.cli.common.MarkdownReport;
import dev.weft.cli.common.Output;
import dev.weft.crdt.bench.CrdtBench;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft bench crdt}: replicated-state throughput, anti-entropy bytes, RocksDB bytes per delta. */
@Command(name = "crdt", mixinStandardHelpOptions = true,
    description = {"Deltas merged/s, signatures verified/s, anti-entropy bytes at 1% divergence, RocksDB bytes per delta, as a markdown report."},
    footer = {"", "Examples:", "  weft bench crdt", "  weft bench crdt --keys 100000 --writers 50 --out crdt.md", "  weft bench crdt --json"})
public final class CrdtBenchCommand implements Callable<Integer> {
  @Mixin Output out;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown report to FILE.")
  Path file;

  @Option(names = "--keys", defaultValue = "10000", description = "Keys (one delta each) (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--writers", defaultValue = "10", description = "Writers the keys are spread over (default ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--dir", description = "Where the RocksDB measurement writes (a temporary folder inside; default: the system temp dir).")
  Path dir;

  @Override public Integer call() throws Exception {
    if (keys < 1 || keys > 10_000_000) throw new IllegalArgumentException("--keys must be in [1, 10000000]");
    if (writers < 1 || writers > keys) throw new IllegalArgumentException("--writers must be in [1, --keys]");
    Path where = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    MarkdownReport.run(out, "crdt", file, ps -> {
      try {
        new CrdtBench(keys, writers).run(ps, where);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return 0;
  }
}
