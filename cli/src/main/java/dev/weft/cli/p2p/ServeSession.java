package dev.weft.cli.p2p;

import static dev.weft.cli.p2p.ServeContext.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stdin/stdout protocol of {@code weft p2p serve}: prints the host's identity line, then reads
 * one JSON command per line and prints one JSON line per result, error or event. Commands run
 * concurrently; each result carries the request's {@code "id"} (if any) and {@code "cmd"}. Bad
 * lines give {@code {"error":...}} and the session goes on. At end of input it waits for the
 * commands still running, then returns.
 */
public final class ServeSession {
  /** Longer command lines are rejected (and skipped to the next newline). */
  public static final int MAX_LINE_CHARS = 64 * 1024;

  /** At end of input, how long to wait for queued events to be printed. */
  static final long EVENT_FLUSH_SECONDS = 5;

  private final java.util.Set<CompletableFuture<ObjectNode>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final HostBuilder.Built node;
  private final ServeCommands commands;
  private final PrintStream out;
  private final ServeContext context;

  public ServeSession(HostBuilder.Built node, ServeCommands commands, PrintStream out) {
    this.node = node;
    this.commands = commands;
    this.out = out;
    this.context = new ServeContext(node, this::print);
  }

  /** What commands of this session see (for options that start services before {@link #run}). */
  public ServeContext context() {
    return context;
  }

  /** The first line: {@code {"peerId":...,"addrs":[...]}} with /p2p/ suffixes. */
  public ObjectNode identityLine() {
    ObjectNode o = JSON.createObjectNode();
    o.put("peerId", node.host().peerId().toBase58());
    var addrs = o.putArray("addrs");
    for (Multiaddr a : node.host().listenAddresses()) addrs.add(a.withPeerId(node.host().peerId()).toString());
    return o;
  }

  /** Prints the identity line, subscribes to events, then serves {@code in} until it ends. */
  public void run(Reader in) throws IOException {
    print(identityLine());
    try (AutoCloseable sub = node.host().subscribe(this::onEvent)) {
      LineReader lines = new LineReader(in, MAX_LINE_CHARS);
      String line;
      while ((line = lines.next()) != null) {
        if (line == LineReader.TOO_LONG) {
          print(error(null, null, "line longer than " + MAX_LINE_CHARS + " characters"));
          continue;
        }
        if (line.isBlank()) continue;
        CompletableFuture<ObjectNode> f = handle(line);
        pending.add(f);
        f.whenComplete((v, e) -> pending.remove(f));
      }
      // End of input: let running commands finish (each has a timeout), then flush queued events.
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
      CompletableFuture<Void> barrier = new CompletableFuture<>();
      node.host().scheduler().execute(() -> barrier.complete(null));
      barrier.get(EVENT_FLUSH_SECONDS, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /**
   * Serves without reading any input: prints the identity line (in JSON mode) and events until
   * {@code stopped} opens (a signal's shutdown hook opens it).
   */
  public void runWithoutInput(boolean printIdentity, java.util.concurrent.CountDownLatch stopped) throws IOException {
    if (printIdentity) print(identityLine());
    try (AutoCloseable sub = node.host().subscribe(this::onEvent)) {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** Handles one command line; the result is printed when it is ready. */
  public CompletableFuture<ObjectNode> handle(String line) {
    JsonNode req;
    try {
      req = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return done(error(null, null, "invalid JSON: " + e.getOriginalMessage()));
    }
    if (req == null || !req.isObject()) return done(error(null, null, "a command must be a JSON object"));
    JsonNode id = req.get("id");
    JsonNode cmdNode = req.get("cmd");
    if (cmdNode == null || !cmdNode.isTextual()) return done(error(id, null, "missing \"cmd\""));
    String name = cmdNode.asText();
    if (name.equals("help")) return done(help(id));
    ServeCommand cmd = commands.get(name);
    if (cmd == null) return done(error(id, name, "unknown command \"" + name + "\" (try {\"cmd\":\"help\"})"));
    long timeout;
    try {
      timeout = ServeContext.count(req, "timeoutMs", cmd.timeoutMillis(), 24 * 3_600_000L);
    } catch (IllegalArgumentException e) {
      return done(error(id, name, e.getMessage()));
    }
    CompletableFuture<ObjectNode> f;
    try {
      f = cmd.execute(context, req);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.orTimeout(timeout, TimeUnit.MILLISECONDS).handle((result, e) -> {
      ObjectNode line1 = e != null ? error(id, name, describe(e, timeout)) : withHeader(id, name, result);
      print(line1);
      return line1;
    });
  }

  private CompletableFuture<ObjectNode> done(ObjectNode line) {
    print(line);
    return CompletableFuture.completedFuture(line);
  }

  private ObjectNode help(JsonNode id) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode cs = o.putObject("commands");
    commands.all().forEach((n, c) -> cs.put(n, c.description()));
    return withHeader(id, "help", o);
  }

  private static ObjectNode withHeader(JsonNode id, String cmd, ObjectNode body) {
    ObjectNode o = JSON.createObjectNode();
    if (id != null) o.set("id", id);
    o.put("cmd", cmd);
    o.setAll(body);
    return o;
  }

  static ObjectNode error(JsonNode id, String cmd, String message) {
    ObjectNode o = JSON.createObjectNode();
    if (id != null) o.set("id", id);
    if (cmd != null) o.put("cmd", cmd);
    o.put("error", message);
    return o;
  }

  static String describe(Throwable e, long timeout) {
    Throwable c = e;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    if (c instanceof TimeoutException && c.getMessage() == null) return "timed out after " + timeout + " ms";
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }

  private void onEvent(HostEvent e) {
    ObjectNode o = JSON.createObjectNode();
    switch (e) {
      case HostEvent.PeerConnected pc -> {
        o.put("event", "connected");
        o.setAll(P2pServeCommands.connectionJson(pc.connection()));
      }
      case HostEvent.PeerDisconnected pd -> {
        o.put("event", "disconnected");
        o.setAll(P2pServeCommands.connectionJson(pd.connection()));
      }
      case HostEvent.PeerIdentified pi -> {
        o.put("event", "identified");
        o.put("peer", pi.peer().toBase58());
      }
      case HostEvent.StreamOpened so -> {
        return; // too chatty for the console
      }
    }
    print(o);
  }

  private void print(ObjectNode line) {
    String text;
    try {
      text = JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      text = "{\"error\":\"cannot encode result\"}";
    }
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }
}
