package dev.weft.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident set size, for the status lines: what a volunteer's machine gives us. */
final class ResidentMemory {
  private ResidentMemory() {}

  /** Bytes resident now, from Linux's /proc/self/status; -1 where there is no such file. */
  static long bytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable
    }
    return -1;
  }
}
