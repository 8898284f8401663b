package dev.weft.cli.p2p;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process's standard input is, for {@code serve --stdin auto}: the JSON command protocol
 * is for programs driving weft through a pipe; a terminal, {@code /dev/null} (a service manager,
 * {@code nohup}, a background job) or a file mean nobody speaks it, so serve must not read stdin —
 * and above all must not stop when it ends.
 */
enum StdinKind {
  PIPE, TERMINAL, NULL_DEVICE, FILE, UNKNOWN;

  /** Reads {@code /proc/self/fd/0} (Linux); {@link #UNKNOWN} elsewhere. */
  static StdinKind detect() {
    Path fd0 = Path.of("/proc/self/fd/0");
    try {
      String target = Files.readSymbolicLink(fd0).toString();
      if (target.startsWith("pipe:") || target.startsWith("socket:")) return PIPE;
      if (target.equals("/dev/null")) return NULL_DEVICE;
      if (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console")) return TERMINAL;
      return FILE;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null ? TERMINAL : UNKNOWN;
    }
  }
}
