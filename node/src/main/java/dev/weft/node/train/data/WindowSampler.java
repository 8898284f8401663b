package dev.weft.node.train.data;

import dev.weft.node.train.Batch;
import dev.weft.node.train.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random training windows from a set of shards: each row is {@code context+1} consecutive bytes of
 * one shard (inputs are the first {@code context}, targets the last {@code context}), every
 * possible window equally likely. Deterministic for a seed. Not thread-safe.
 */
public final class WindowSampler implements BatchSource {
  private final List<Shard> shards;
  private final long[] cumulative;
  private final int rows;
  private final int context;
  private final SplittableRandom random;

  public WindowSampler(List<Shard> shards, int rows, int context, long seed) {
    if (rows < 1 || context < 1) throw new IllegalArgumentException("rows and context must be positive");
    List<Shard> usable = new ArrayList<>();
    for (Shard s : shards) if (s.length() > context) usable.add(s);
    if (usable.isEmpty()) throw new CorruptDataException("no shard longer than the context " + context);
    this.shards = usable;
    this.cumulative = new long[usable.size()];
    long total = 0;
    for (int i = 0; i < usable.size(); i++) {
      total += usable.get(i).length() - context;
      cumulative[i] = total;
    }
    this.rows = rows;
    this.context = context;
    this.random = new SplittableRandom(seed);
  }

  @Override public Batch next() {
    int[] in = new int[rows * context], out = new int[rows * context];
    long total = cumulative[cumulative.length - 1];
    for (int r = 0; r < rows; r++) {
      long pick = random.nextLong(total);
      int s = 0;
      while (cumulative[s] <= pick) s++;
      long start = pick - (s == 0 ? 0 : cumulative[s - 1]);
      byte[] d = shards.get(s).data();
      for (int t = 0; t < context; t++) {
        in[r * context + t] = d[(int) start + t] & 0xff;
        out[r * context + t] = d[(int) start + t + 1] & 0xff;
      }
    }
    return new Batch(rows, context, in, out);
  }

  /**
   * Fixed evaluation batches: non-overlapping windows taken in order from the shards, at most
   * {@code maxBatches} batches of {@code rows}. Same shards, same batches.
   */
  public static List<Batch> evaluationBatches(List<Shard> shards, int rows, int context, int maxBatches) {
    List<Batch> batches = new ArrayList<>();
    int[] in = new int[rows * context], out = new int[rows * context];
    int r = 0;
    for (Shard s : shards) {
      byte[] d = s.data();
      for (int start = 0; start + context < d.length; start += context) {
        for (int t = 0; t < context; t++) {
          in[r * context + t] = d[start + t] & 0xff;
          out[r * context + t] = d[start + t + 1] & 0xff;
        }
        if (++r == rows) {
          batches.add(new Batch(rows, context, in.clone(), out.clone()));
          r = 0;
          if (batches.size() == maxBatches) return batches;
        }
      }
    }
    if (batches.isEmpty()) throw new CorruptDataException("validation data too small for one batch of " + rows + "x" + context);
    return batches;
  }
}
