package dev.weft.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task over fixed-size chunks of the coordinates {@code [0, d)} on a bounded pool.
 *
 * <p>Determinism: chunk boundaries depend only on {@link #CHUNK} and d, never on the thread count,
 * and tasks write only to chunk-indexed slots; every global quantity (a distance, a norm) is a sum
 * of per-chunk partials that the caller adds up in chunk order. So the same inputs give the same
 * bits with 1 or 64 threads. {@link #CHUNK} is therefore part of the definition of every result
 * and must never change between peers of one run.
 *
 * <p>Memory: a worker keeps O(n·CHUNK) scratch, so aggregators stay within O(threads·n·CHUNK)
 * beyond their inputs and output. Threads: {@link #forEachChunk} blocks the calling thread until
 * every chunk is done; it is safe to call from one thread at a time per runner. Close the runner to
 * stop its threads.
 */
public final class ChunkRunner implements AutoCloseable {
  /**
   * Coordinates per chunk. 8192 floats × 16 inputs is 512 KiB: a chunk's slices stay in L2 while a
   * kernel reads them a second time (screening, then arithmetic).
   */
  public static final int CHUNK = 8192;

  /** Upper bound on threads, so a misconfiguration cannot spawn thousands. */
  public static final int MAX_THREADS = 256;

  private final int threads;
  private final ExecutorService pool;

  private ChunkRunner(int threads) {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "]: " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, namedDaemons());
  }

  /** A runner that works on the calling thread only. */
  public static ChunkRunner serial() {
    return new ChunkRunner(1);
  }

  /** A runner with {@code threads} worker threads (1 means the calling thread). */
  public static ChunkRunner withThreads(int threads) {
    return new ChunkRunner(threads);
  }

  public int threads() {
    return threads;
  }

  /** Number of chunks covering {@code [0, d)}. */
  public static int chunkCount(int d) {
    return (int) (((long) d + CHUNK - 1) / CHUNK);
  }

  /** A task over one chunk; {@code worker} in [0, threads) indexes per-worker scratch. */
  @FunctionalInterface
  public interface ChunkTask {
    void run(int chunk, int from, int to, int worker);
  }

  /** Runs {@code task} once for every chunk of {@code [0, d)}; rethrows the first failure. */
  public void forEachChunk(int d, ChunkTask task) {
    int chunks = chunkCount(d);
    if (pool == null || chunks <= 1) {
      for (int c = 0; c < chunks; c++) task.run(c, c * CHUNK, Math.min(d, (c + 1) * CHUNK), 0);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(threads, chunks);
    List<Future<?>> futures = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      futures.add(
          pool.submit(
              () -> {
                int c;
                while ((c = next.getAndIncrement()) < chunks) {
                  task.run(c, c * CHUNK, Math.min(d, (c + 1) * CHUNK), worker);
                }
              }));
    }
    RuntimeException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        next.set(chunks);
        failure = new IllegalStateException("interrupted while aggregating", e);
      } catch (ExecutionException e) {
        next.set(chunks);
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) throw failure;
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }

  private static ThreadFactory namedDaemons() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "weft-aggregation-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
