package dev.weft.p2p.protocol.io;

import dev.weft.p2p.api.Stream;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes {@code total} bytes to a stream in chunks, keeping at most {@link #MAX_WRITES_IN_FLIGHT}
 * writes unfinished, so the transport's flow control (Yamux windows) paces it and memory stays
 * bounded whatever the peer does. {@link #done()} completes when the last write is accepted, or
 * fails with the first write error. Thread-safe (write callbacks may come from any thread).
 *
 * <p>Every write is issued from one serial {@code executor} (the host's scheduler), never from
 * whatever thread completed the previous write: a transport that runs writes made on its own
 * thread at once but queues writes from other threads would otherwise reorder them.
 */
public final class ChunkedWriter {
  /** Chunk size: large enough to amortise per-write costs, small next to a 256 KiB window. */
  public static final int CHUNK_BYTES = 64 * 1024;
  /** Writes outstanding at once: enough to keep a window's worth queued. */
  public static final int MAX_WRITES_IN_FLIGHT = 8;

  /** Makes the bytes at {@code [offset, offset + length)} of the logical output; ownership passes to the writer. */
  @FunctionalInterface
  public interface Source {
    ByteBuf chunk(long offset, int length);
  }

  private final Stream stream;
  private final long total;
  private final Source source;
  private final Executor executor;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private long offset;
  private int inFlight;
  private boolean pumping;
  private boolean again;

  public ChunkedWriter(Stream stream, long total, Source source, Executor executor) {
    if (total < 0) throw new IllegalArgumentException("total < 0");
    this.stream = stream;
    this.total = total;
    this.source = source;
    this.executor = executor;
  }

  public CompletableFuture<Void> start() {
    executor.execute(this::pump);
    return done;
  }

  public CompletableFuture<Void> done() {
    return done;
  }

  /** Bytes handed to the stream so far. */
  public synchronized long written() {
    return offset;
  }

  private void pump() {
    synchronized (this) {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
    }
    while (true) {
      ByteBuf next = null;
      synchronized (this) {
        if (!done.isDone() && offset < total && inFlight < MAX_WRITES_IN_FLIGHT) {
          int len = (int) Math.min(CHUNK_BYTES, total - offset);
          next = source.chunk(offset, len);
          offset += len;
          inFlight++;
        } else if (!again) {
          pumping = false;
          if (offset == total && inFlight == 0) done.complete(null);
          return;
        } else {
          again = false;
          continue;
        }
      }
      stream.write(next).whenComplete((v, e) -> {
        synchronized (this) {
          inFlight--;
        }
        if (e != null) done.completeExceptionally(e);
        else executor.execute(this::pump);
      });
    }
  }
}
