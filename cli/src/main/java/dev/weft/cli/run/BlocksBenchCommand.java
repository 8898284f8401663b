package dev.weft.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.common.Output;
import dev.weft.node.blocks.BlocksBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft bench blocks}: block-exchange throughput from several rate-limited providers on loopback. */
@Command(
    name = "blocks",
    mixinStandardHelpOptions = true,
    description = {"Download one blob from 1, 2 and 4 providers on loopback (real TCP hosts in this JVM), each limited to --rate,",
        "then from one unlimited provider; print a markdown table with the load average."},
    footer = {"", "Examples:", "  weft bench blocks", "  weft bench blocks --store --size 256     files vs RocksDB for chunk bytes", "  weft bench blocks --rate 8 --size 64 --providers 1,2,4,8", "  weft bench blocks --json"})
public final class BlocksBenchCommand implements Callable<Integer> {
  @Mixin Output out;

  @Option(names = "--providers", split = ",", defaultValue = "1,2,4", description = "Provider counts (default ${DEFAULT-VALUE}).")
  List<Integer> providers;

  @Option(names = "--rate", defaultValue = "4", description = "Each provider's limit in MiB/s (default ${DEFAULT-VALUE}).")
  int rateMib;

  @Option(names = "--size", defaultValue = "32", description = "Blob size in MiB (default ${DEFAULT-VALUE}).")
  int sizeMib;

  @Option(names = "--chunk", defaultValue = "256", description = "Chunk size in KiB (default ${DEFAULT-VALUE}).")
  int chunkKib;

  @Option(names = "--store", description = "Instead: compare chunk storage in files (the blob store) with RocksDB, --size MiB.")
  boolean store;

  @Override public Integer call() throws Exception {
    if (rateMib < 1 || rateMib > 1024) throw new IllegalArgumentException("--rate must be in [1, 1024] MiB/s");
    if (sizeMib < 1 || sizeMib > 1024) throw new IllegalArgumentException("--size must be in [1, 1024] MiB");
    if (chunkKib < 1 || chunkKib > 1024) throw new IllegalArgumentException("--chunk must be in [1, 1024] KiB");
    for (int p : providers) if (p < 1 || p > 32) throw new IllegalArgumentException("--providers must be in [1, 32]");
    String before = loadavg();
    if (store) {
      List<BlocksBench.StoreRow> rows = BlocksBench.storeCompare(sizeMib, chunkKib << 10);
      ByteArrayOutputStream t = new ByteArrayOutputStream();
      BlocksBench.printStore(new PrintStream(t, true, StandardCharsets.UTF_8), rows);
      ObjectNode r = Output.object();
      ArrayNode a = r.putArray("rows");
      for (BlocksBench.StoreRow row : rows) {
        a.addObject().put("kind", row.kind()).put("bytes", row.bytes()).put("writeSeconds", row.writeSeconds()).put("readSeconds", row.readSeconds())
            .put("diskBytes", row.diskBytes());
      }
      r.put("loadavgBefore", before);
      r.put("loadavgAfter", loadavg());
      out.result(r, t.toString(StandardCharsets.UTF_8) + "\nload average before: " + before + "; after: " + loadavg()
          + "\ncommand: weft bench blocks --store --size " + sizeMib + " --chunk " + chunkKib);
      return 0;
    }
    List<BlocksBench.Row> rows = BlocksBench.run(providers, (long) rateMib << 20, sizeMib << 20, chunkKib << 10);
    String after = loadavg();
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    BlocksBench.print(new PrintStream(table, true, StandardCharsets.UTF_8), rows);
    ObjectNode r = Output.object();
    ArrayNode a = r.putArray("rows");
    for (BlocksBench.Row row : rows) {
      a.addObject().put("providers", row.providers()).put("rateBytesPerSecond", row.rateBytesPerSecond()).put("bytes", row.bytes())
          .put("seconds", row.seconds()).put("mibPerSecond", row.mibPerSecond());
    }
    r.put("loadavgBefore", before);
    r.put("loadavgAfter", after);
    out.result(r, table.toString(StandardCharsets.UTF_8) + "\nload average before: " + before + "; after: " + after
        + "\ncommand: weft bench blocks --providers " + providers.toString().replaceAll("[\\[\\] ]", "") + " --rate " + rateMib + " --size " + sizeMib + " --chunk " + chunkKib);
    return 0;
  }

  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
