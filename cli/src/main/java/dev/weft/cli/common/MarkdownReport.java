package dev.weft.cli.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a benchmark that writes a markdown report follows the output rule of {@link Output}.
 *
 * <p>The benchmarks in the libraries (robustness table, aggregation throughput, CRDT figures) write
 * markdown for the README to a {@link PrintStream}, line by line as each cell is measured. Here
 * that stream is a tee: every line goes to stderr as it is written (a person watches the table
 * grow), into {@code --out FILE} when given (the report without the progress lines), and into a
 * buffer from which, with {@code --json}, one JSON document is written on stdout at the end: every
 * pipe table of the report as {@code {"title", "columns", "rows": [{column: cell}]}}, cells that
 * are plain numbers as numbers. Parsing our own markdown keeps one source of truth per benchmark
 * instead of a second, JSON-building code path in each library that could drift from the table.
 */
public final class MarkdownReport {
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
  private static final Pattern SEPARATOR = Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");

  private MarkdownReport() {}

  /**
   * Runs {@code bench} with a stream that tees to stderr, {@code file} (may be null) and a buffer;
   * then, in JSON mode, writes {@code {"bench": name, "tables": [...]}} on stdout.
   */
  public static void run(Output out, String name, Path file, Consumer<PrintStream> bench) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    OutputStream tee = new OutputStream() {
      private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

      @Override public void write(int b) {
        buffer.write(b);
        pending.write(b);
        if (b == '\n') flushLine();
      }

      // Only whole lines go out (a PrintStream flushes after every print, mid-line); the rest at close.
      @Override public void close() {
        if (pending.size() > 0) flushLine();
      }

      private void flushLine() {
        String s = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        out.text(s);
      }
    };
    try (PrintStream ps = new PrintStream(tee, false, StandardCharsets.UTF_8)) {
      bench.accept(ps);
    }
    String markdown = buffer.toString(StandardCharsets.UTF_8);
    if (file != null) {
      try {
        Files.writeString(file, markdown);
      } catch (IOException e) {
        throw Errors.file("write", "report", file, e);
      }
    }
    ObjectNode doc = Output.object().put("bench", name);
    doc.set("tables", tables(markdown));
    out.json(doc);
  }

  /** Every pipe table of {@code markdown}, titled by the nearest non-blank, non-table line above it. */
  public static ArrayNode tables(String markdown) {
    ArrayNode tables = Output.JSON.createArrayNode();
    String[] lines = markdown.split("\r?\n", -1);
    String title = "";
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      boolean header = l.startsWith("|") && i + 1 < lines.length && SEPARATOR.matcher(lines[i + 1].strip()).matches();
      if (!header) {
        if (!l.isEmpty() && !l.startsWith("|")) title = l.replaceFirst("^#+\\s*", "");
        continue;
      }
      List<String> columns = cells(l);
      ObjectNode table = tables.addObject();
      table.put("title", title);
      ArrayNode cols = table.putArray("columns");
      columns.forEach(cols::add);
      ArrayNode rows = table.putArray("rows");
      i += 2;
      for (; i < lines.length && lines[i].strip().startsWith("|"); i++) {
        List<String> cells = cells(lines[i].strip());
        ObjectNode row = rows.addObject();
        for (int c = 0; c < columns.size(); c++) {
          String v = c < cells.size() ? cells.get(c) : "";
          String key = columns.get(c).isEmpty() ? "column" + (c + 1) : columns.get(c);
          if (NUMBER.matcher(v).matches()) row.put(key, Double.parseDouble(v));
          else row.put(key, v);
        }
      }
      i--;
    }
    return tables;
  }

  private static List<String> cells(String row) {
    String s = row;
    if (s.startsWith("|")) s = s.substring(1);
    if (s.endsWith("|")) s = s.substring(0, s.length() - 1);
    List<String> out = new ArrayList<>();
    for (String c : s.split("\\|", -1)) out.add(c.strip().replace("**", ""));
    return out;
  }
}
