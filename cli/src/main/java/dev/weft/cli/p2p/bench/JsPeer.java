package dev.weft.cli.p2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A js-libp2p peer ({@code interop/js/peer.mjs}) in a child process, driven by JSON lines. Used by
 * the interop tests and the benchmark.
 */
public final class JsPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long the node process may take to print its identity (npm-installed libp2p loads slowly on busy machines). */
  public static final long START_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final Writer stdin;
  private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  public final String peerId;
  public final String addr;

  private JsPeer(Process process, JsonNode identity) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.peerId = identity.get("peerId").asText();
    this.addr = identity.get("addrs").get(0).asText();
  }

  /** Where the js scripts live: interop/js above the working directory. */
  public static Path scriptDir() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      Path c = d.resolve("interop/js");
      if (Files.exists(c.resolve("peer.mjs"))) return c;
    }
    throw new IllegalStateException("interop/js/peer.mjs not found above " + p);
  }

  /** Whether {@code node} runs here. */
  public static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code npm ci} once if node_modules is missing. */
  public static synchronized void ensureInstalled() throws IOException, InterruptedException {
    Path dir = scriptDir();
    if (Files.isDirectory(dir.resolve("node_modules/libp2p"))) return;
    Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("npm ci failed in " + dir + ":\n" + out);
  }

  public static JsPeer start() throws Exception {
    ensureInstalled();
    Process p = new ProcessBuilder("node", "peer.mjs").directory(scriptDir().toFile())
        .start();
    Thread errors = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = err.readLine()) != null) System.err.println("[js] " + l);
      } catch (IOException e) {
        // process ended
      }
    }, "js-peer-stderr");
    errors.setDaemon(true);
    errors.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    String line;
    try {
      line = first.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("js peer did not start", e);
    }
    if (line == null) throw new IOException("js peer exited before printing its identity");
    JsPeer peer = new JsPeer(p, JSON.readTree(line));
    Thread reader = new Thread(() -> peer.readLoop(out), "js-peer-stdout");
    reader.setDaemon(true);
    reader.start();
    return peer;
  }

  private void readLoop(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        JsonNode id = n.get("id");
        if (id != null && id.isInt()) {
          CompletableFuture<JsonNode> f = waiting.remove(id.asInt());
          if (f != null) f.complete(n);
        }
      }
    } catch (IOException e) {
      // process ended
    }
    IOException gone = new IOException("js peer exited");
    waiting.values().forEach(f -> f.completeExceptionally(gone));
  }

  /** Sends a command; the result line, or fails with its "error". */
  public JsonNode call(ObjectNode request, long timeoutSeconds) throws Exception {
    int id = nextId.getAndIncrement();
    request.put("id", id);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    waiting.put(id, f);
    synchronized (stdin) {
      stdin.write(JSON.writeValueAsString(request) + "\n");
      stdin.flush();
    }
    JsonNode r = f.get(timeoutSeconds, TimeUnit.SECONDS);
    if (r.has("error")) throw new IOException("js " + request.get("cmd").asText() + " failed: " + r.get("error").asText());
    return r;
  }

  public static ObjectNode cmd(String name) {
    return JSON.createObjectNode().put("cmd", name);
  }

  /** CPU seconds (user + system) the node process has used, from /proc; -1 where unavailable. */
  public double cpuSeconds() {
    return ProcessCpu.seconds(process.pid());
  }

  @Override public void close() throws Exception {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
