package dev.weft.dht.sim;

import dev.weft.dht.codec.DhtMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the frames a simulation really exchanges, for the fuzz tests' seed corpora: with
 * {@code -Ddht.capture.frames=DIR}, the first {@link #PER_KIND} requests and answers of each
 * message type that carry something (a record, peers, providers) go to {@code DIR/<direction>_<type>_<n>}.
 * Off (a no-op) otherwise. How the checked-in corpora were made: docs/dht.md.
 */
final class FrameCapture {
  static final int PER_KIND = 2;
  private static final String DIR = System.getProperty("dht.capture.frames");
  private static final Map<String, Integer> counts = new HashMap<>();

  private FrameCapture() {}

  static synchronized void record(String direction, DhtMessage.Type type, byte[] frame) {
    if (DIR == null) return;
    String kind = direction + "_" + type.name().toLowerCase();
    int n = counts.getOrDefault(kind, 0);
    if (n >= PER_KIND || frame.length < 40) return;
    counts.put(kind, n + 1);
    try {
      Files.createDirectories(Path.of(DIR));
      Files.write(Path.of(DIR, kind + "_" + n), frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
