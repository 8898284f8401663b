package dev.weft.cli.train;

import dev.weft.node.train.report.Series;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code loss.csv} of {@code weft train local}: one row per round (round, cumulative tokens,
 * training loss, validation loss, bytes per worker, seconds). A resumed run whose folder already
 * holds a loss.csv of this format continues it — tokens, bytes and seconds carry on from its last
 * row — instead of overwriting the earlier run's rows.
 */
final class LossCsv {
  static final String HEADER = "round,tokens,train_loss,val_loss,bytes_per_worker,seconds";

  private final Path path;
  private final List<String> rows = new ArrayList<>();
  private final boolean appended;
  private final long tokens0, bytes0;
  private final double seconds0;

  private LossCsv(Path path, List<String> existing, boolean appended) {
    this.path = path;
    this.rows.addAll(existing);
    this.appended = appended;
    String[] last = appended && !existing.isEmpty() ? existing.get(existing.size() - 1).split(",", -1) : null;
    this.tokens0 = last == null ? 0 : parseLong(last[1]);
    this.bytes0 = last == null ? 0 : parseLong(last[4]);
    this.seconds0 = last == null ? 0 : parseDouble(last[5]);
  }

  /** For a fresh run, or a resumed one (which appends when the file is there and well formed). */
  static LossCsv openForRun(Path path, boolean resuming) throws IOException {
    if (resuming && Files.isRegularFile(path)) {
      List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
      boolean ours = !lines.isEmpty() && lines.get(0).equals(HEADER)
          && lines.stream().skip(1).allMatch(l -> l.split(",", -1).length == 6);
      if (ours && lines.size() > 1) return new LossCsv(path, lines.subList(1, lines.size()), true);
    }
    return new LossCsv(path, List.of(), false);
  }

  boolean appended() {
    return appended;
  }

  /** The row before the first round; an appended file already ends with it. */
  void start(int round, double validationLoss) {
    if (!appended) rows.add(String.format(Locale.ROOT, "%d,0,,%.6f,0,0", round, validationLoss));
  }

  void round(int round, long tokens, double trainLoss, double validationLoss, long bytesPerWorker, double seconds) {
    rows.add(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d,%.1f", round, tokens0 + tokens, trainLoss, validationLoss,
        bytes0 + bytesPerWorker, seconds0 + seconds));
  }

  void write() throws IOException {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (String r : rows) b.append(r).append('\n');
    Files.writeString(path, b, StandardCharsets.UTF_8);
  }

  /** Validation and training loss against tokens, over every row (earlier runs' included). */
  List<Series> series() {
    Series val = new Series("validation"), train = new Series("training (workers' mean)");
    for (String r : rows) {
      String[] f = r.split(",", -1);
      double tokens = parseDouble(f[1]);
      if (!f[3].isEmpty()) val.add(tokens, parseDouble(f[3]));
      if (!f[2].isEmpty()) train.add(tokens, parseDouble(f[2]));
    }
    return List.of(val, train);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
