package dev.weft.cli.train;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar redrawn in place on stderr: {@code [#####.....]  50% 3m12s left  status}. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final long total;
  private final long startNanos;

  ProgressBar(PrintWriter err, long total, long startNanos) {
    this.err = err;
    this.total = Math.max(1, total);
    this.startNanos = startNanos;
  }

  void update(long done, long nowNanos, String status) {
    double f = Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(f * WIDTH);
    double elapsed = (nowNanos - startNanos) / 1e9;
    String eta = done == 0 ? "?" : duration(elapsed / f - elapsed);
    err.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %s left  %s   ", "#".repeat(filled), ".".repeat(WIDTH - filled), f * 100, eta, status);
    err.flush();
  }

  void finish() {
    err.println();
    err.flush();
  }

  static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
  }
}
