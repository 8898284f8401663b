package dev.weft.cli.p2p;

import java.io.IOException;
import java.io.Reader;

/** Reads lines of at most a given length; longer lines come back as {@link #TOO_LONG} and are skipped. */
final class LineReader {
  /** Returned (by identity) for a line over the limit. */
  static final String TOO_LONG = new String("<too long>");

  private final Reader in;
  private final int max;

  LineReader(Reader in, int max) {
    this.in = in;
    this.max = max;
  }

  /** The next line without its terminator, or null at end of input. */
  String next() throws IOException {
    StringBuilder sb = new StringBuilder();
    boolean tooLong = false;
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') return tooLong ? TOO_LONG : strip(sb);
      if (tooLong) continue;
      if (sb.length() >= max) {
        tooLong = true;
        sb.setLength(0);
        continue;
      }
      sb.append((char) c);
    }
    if (tooLong) return TOO_LONG;
    return sb.isEmpty() ? null : strip(sb);
  }

  private static String strip(StringBuilder sb) {
    int n = sb.length();
    if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
    return sb.toString();
  }
}
