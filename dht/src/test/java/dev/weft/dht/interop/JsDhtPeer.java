package dev.weft.dht.interop;

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

/** Drives {@code interop/js/dht-peer.mjs} over its stdin/stdout JSON-lines protocol. */
final class JsDhtPeer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCRIPT_DIR = Path.of("..", "interop", "js");

  private final Process process;
  private final Writer stdin;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  final String peerId;
  final String addr;

  /** Whether node and the installed js packages are there (tests skip otherwise). */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isDirectory(SCRIPT_DIR.resolve("node_modules/@libp2p/kad-dht"));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  JsDhtPeer(String protocol) throws IOException {
    process = new ProcessBuilder("node", "dht-peer.mjs", "--protocol", protocol).directory(SCRIPT_DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    JsonNode hello = JSON.readTree(out.readLine());
    peerId = hello.get("peerId").asText();
    addr = hello.get("addrs").get(0).asText();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          JsonNode n = JSON.readTree(line);
          CompletableFuture<JsonNode> f = pending.remove(n.path("id").asInt(-1));
          if (f != null) f.complete(n);
        }
      } catch (IOException e) {
        pending.values().forEach(f -> f.completeExceptionally(e));
      }
    }, "js-dht-peer-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends {@code request} (an "id" is added) and waits for the answer; fails on an "error" field. */
  JsonNode call(ObjectNode request, long timeoutSeconds) throws Exception {
    int id = ids.incrementAndGet();
    request.put("id", id);
    request.put("timeoutMs", timeoutSeconds * 1000);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    synchronized (stdin) {
      stdin.write(JSON.writeValueAsString(request) + "\n");
      stdin.flush();
    }
    JsonNode n = f.get(timeoutSeconds + 5, TimeUnit.SECONDS);
    if (n.has("error")) throw new IllegalStateException("js peer: " + n.get("error").asText());
    return n;
  }

  ObjectNode cmd(String name) {
    return JSON.createObjectNode().put("cmd", name);
  }

  @Override public void close() throws Exception {
    stdin.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
