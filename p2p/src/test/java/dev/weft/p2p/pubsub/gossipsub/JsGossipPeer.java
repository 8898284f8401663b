package dev.weft.p2p.pubsub.gossipsub;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running {@code interop/js/gossip-peer.mjs} (js-libp2p + @chainsafe/libp2p-gossipsub), driven
 * through its JSON-lines stdin/stdout. Lines are matched with small regexes: the p2p module has
 * no JSON library and the script's output is flat.
 */
final class JsGossipPeer implements AutoCloseable {
  static final File DIR = locate();
  private final Process process;
  private final Writer in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> events = new ArrayList<>();
  final String peerId;
  final String addr;
  private int nextId = 1;

  private static File locate() {
    for (String p : new String[] {"interop/js", "../interop/js"}) {
      File f = new File(p);
      if (new File(f, "gossip-peer.mjs").isFile()) return f;
    }
    return new File("../interop/js");
  }

  /** Whether node and the installed js packages are there (interop tests skip otherwise). */
  static boolean available() {
    if (!new File(DIR, "node_modules/@chainsafe/libp2p-gossipsub").isDirectory()) return false;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  JsGossipPeer(long seed) throws Exception {
    process = new ProcessBuilder("node", "gossip-peer.mjs", "--seed", Long.toString(seed)).directory(DIR)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) lines.add(line);
      } catch (IOException ignored) {
        // process ended
      }
    }, "js-gossip-peer-stdout");
    reader.setDaemon(true);
    reader.start();
    String hello = next(30_000);
    peerId = field(hello, "peerId");
    Matcher m = Pattern.compile("\"addrs\":\\[\"([^\"]+)\"").matcher(hello);
    if (!m.find()) throw new IllegalStateException("no address in " + hello);
    addr = m.group(1);
  }

  private String next(long timeoutMillis) throws InterruptedException {
    String l = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (l == null) throw new IllegalStateException("js peer said nothing for " + timeoutMillis + " ms");
    return l;
  }

  /** Sends a command (a JSON object without id) and returns its result line; events seen meanwhile are kept. */
  synchronized String command(String json) throws Exception {
    int id = nextId++;
    in.write("{\"id\":" + id + "," + json.substring(1) + "\n");
    in.flush();
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      String l = next(Math.max(1, deadline - System.currentTimeMillis()));
      if (l.contains("\"event\":")) {
        events.add(l);
      } else if (l.contains("\"id\":" + id + ",") || l.contains("\"id\":" + id + "}")) {
        if (l.contains("\"error\":")) throw new IllegalStateException("js peer: " + l);
        return l;
      }
    }
  }

  /** Waits up to {@code timeoutMillis} for a message event whose line contains {@code needle}. */
  synchronized String awaitEvent(String needle, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      for (String e : events) if (e.contains(needle)) return e;
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no js event containing " + needle + "; events: " + events);
      String l = lines.poll(left, TimeUnit.MILLISECONDS);
      if (l != null && l.contains("\"event\":")) events.add(l);
    }
  }

  static String field(String line, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(line);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + line);
    return m.group(1);
  }

  @Override public void close() throws Exception {
    try {
      in.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
