package dev.weft.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one output rule of every {@code weft} command, as a picocli mixin ({@code @Mixin Output out}).
 *
 * <ul>
 *   <li>Human text — progress, status, results written for a person, warnings — goes to
 *       <b>stderr</b>, always.
 *   <li>With {@code --json}, <b>stdout</b> carries machine-readable output only: one JSON document
 *       for a command that ends with a result, or JSON lines (one object per line) for a command
 *       that streams events. Without {@code --json}, stdout stays empty, so a script never parses
 *       text meant for people.
 *   <li>Errors: one line {@code weft: <what>: <why>} on stderr and a non-zero exit status (1 for a
 *       failure, 2 for a usage error); see {@link Errors}.
 * </ul>
 *
 * <p>Why not the other common convention (results on stdout as text)? Several weft commands both
 * stream progress and end with a result, and people run them in terminals while scripts run them
 * in pipelines; a single switch between the two audiences is simpler to keep true everywhere than a
 * per-command judgement of what counts as "the result".
 *
 * <p>Thread-safe: lines are written whole under a lock, so concurrent events never interleave.
 */
public final class Output {
  /** The shared mapper; its output is one line per document. */
  public static final ObjectMapper JSON = new ObjectMapper();

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--json", description = "Write machine-readable JSON on stdout (human text stays on stderr).")
  boolean json;

  private PrintWriter out;
  private PrintWriter err;

  /** For commands built outside picocli (tests, nested runners). */
  public static Output of(PrintWriter out, PrintWriter err, boolean json) {
    Output o = new Output();
    o.out = out;
    o.err = err;
    o.json = json;
    return o;
  }

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }

  /** Forces JSON mode (a protocol that speaks JSON on stdout, e.g. serve's stdin protocol). */
  public void forceJson() {
    json = true;
  }

  private PrintWriter out() {
    if (out == null) out = mixee.commandLine().getOut();
    return out;
  }

  private PrintWriter err() {
    if (err == null) err = mixee.commandLine().getErr();
    return err;
  }

  /** A line for people, on stderr. */
  public void say(String format, Object... args) {
    String line = args.length == 0 ? format : String.format(format, args);
    PrintWriter w = err();
    synchronized (this) {
      w.println(line);
      w.flush();
    }
  }

  /** Text for people made of several lines (a table, a report), on stderr. */
  public void text(String block) {
    PrintWriter w = err();
    synchronized (this) {
      w.print(block.endsWith("\n") ? block : block + "\n");
      w.flush();
    }
  }

  /** One JSON document or JSON line on stdout, only in JSON mode. */
  public void json(JsonNode node) {
    if (!json) return;
    String line;
    try {
      line = JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      line = "{\"error\":\"cannot encode result\"}";
    }
    PrintWriter w = out();
    synchronized (this) {
      w.println(line);
      w.flush();
    }
  }

  /** The end result of a command: JSON on stdout with {@code --json}, else {@code human} on stderr. */
  public void result(JsonNode node, String human) {
    if (json) json(node);
    else say(human);
  }

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The picocli command line of the command this mixin belongs to. */
  public CommandLine commandLine() {
    return mixee.commandLine();
  }
}
