package dev.weft.node.train.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which worker trains on which shard, by rendezvous (highest-random-weight) hashing: shard s goes
 * to the worker w maximising {@code sha256(s.id ‖ w)}. Every peer computes the same answer from
 * the same shard and worker lists, and when a worker joins or leaves only the shards it gains or
 * loses move. A worker that wins no shard gets the one it scores highest on (sharing it), so
 * nobody idles.
 */
public final class ShardAssignment {
  private ShardAssignment() {}

  /** The shards {@code worker} trains on, in shard-id order; {@code workers} must contain it. */
  public static List<Shard> shardsFor(String worker, List<String> workers, List<Shard> shards) {
    if (!workers.contains(worker)) throw new IllegalArgumentException("unknown worker " + worker);
    if (shards.isEmpty()) throw new IllegalArgumentException("no shards");
    List<Shard> mine = new ArrayList<>();
    Shard best = null;
    long bestScore = Long.MIN_VALUE;
    for (Shard s : sorted(shards)) {
      long own = score(s.id(), worker);
      if (best == null || Long.compareUnsigned(own, bestScore) > 0) {
        best = s;
        bestScore = own;
      }
      String winner = null;
      long top = 0;
      for (String w : workers) {
        long sc = score(s.id(), w);
        if (winner == null || Long.compareUnsigned(sc, top) > 0 || (sc == top && w.compareTo(winner) < 0)) {
          winner = w;
          top = sc;
        }
      }
      if (worker.equals(winner)) mine.add(s);
    }
    if (mine.isEmpty()) mine.add(best);
    return mine;
  }

  private static List<Shard> sorted(List<Shard> shards) {
    List<Shard> copy = new ArrayList<>(shards);
    copy.sort((a, b) -> a.id().compareTo(b.id()));
    return copy;
  }

  static long score(ShardId shard, String worker) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(shard.hash().bytes());
      md.update(worker.getBytes(StandardCharsets.UTF_8));
      byte[] d = md.digest();
      long x = 0;
      for (int i = 0; i < 8; i++) x = (x << 8) | (d[i] & 0xff);
      return x;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
