package dev.weft.node.runtime;

import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@value #PROTOCOL}: "send me your latest checkpoint" or "the one for the start of round r", one
 * request per stream. The requester writes one byte {@code 1} (latest) or {@code 2} followed by a
 * big-endian int64 round, and half-closes; the server answers with a status byte (0 none, 1 one
 * follows), a big-endian int32 length and the encoded checkpoint, in {@value #CHUNK_BYTES}-byte
 * writes each awaited (Yamux flow control), then half-closes. A server keeps the last
 * {@value #KEPT} checkpoints it served: a peer repairing a round a little behind ours finds the
 * state it needs, not only our newest.
 *
 * <p>A stand-in for the block exchange: one provider per request, no chunk verification (the
 * runtime instead asks several peers and takes what enough of them agree on). Limits: replies
 * over {@link #maxBytes} are refused from their length before a byte is buffered; a request or
 * reply not done within {@link #timeoutMillis} resets the stream; at most
 * {@link #MAX_INBOUND} requests are served at once (more are reset).
 *
 * <p>ByteBuf ownership: buffers we write are handed to the stream (which releases them); buffers
 * we receive are borrowed and copied out within the callback.
 */
public final class CheckpointExchange implements CheckpointSource {
  public static final String PROTOCOL = "/weft/checkpoint/0.1.0";
  static final int CHUNK_BYTES = 64 * 1024;
  static final int MAX_INBOUND = 8;
  /** Checkpoints kept for by-round requests. */
  static final int KEPT = 8;

  private final Host host;
  private final Scheduler scheduler;
  private final int maxBytes;
  private final long timeoutMillis;
  private final AtomicInteger inbound = new AtomicInteger();
  private volatile byte[] serving;
  private final java.util.concurrent.ConcurrentSkipListMap<Long, byte[]> byRound = new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile long bytesServed, bytesFetched;

  public CheckpointExchange(Host host, Scheduler scheduler, int maxBytes, long timeoutMillis) {
    if (maxBytes < 64) throw new IllegalArgumentException("maxBytes must be at least 64");
    if (timeoutMillis < 1) throw new IllegalArgumentException("timeoutMillis must be positive");
    this.host = host;
    this.scheduler = scheduler;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  public void install() {
    host.setStreamHandler(PROTOCOL, this::onInbound);
  }

  @Override public void serve(byte[] encoded) {
    if (encoded.length > maxBytes) throw new IllegalArgumentException("checkpoint of " + encoded.length + " bytes is over the limit " + maxBytes);
    serving = encoded;
  }

  /** Serves {@code encoded} as the latest checkpoint and as the one for the start of {@code round}. */
  public void serve(long round, byte[] encoded) {
    serve(encoded);
    byRound.put(round, encoded);
    while (byRound.size() > KEPT) byRound.pollFirstEntry();
  }

  public long bytesServed() {
    return bytesServed;
  }

  public long bytesFetched() {
    return bytesFetched;
  }

  private void onInbound(Stream s) {
    if (inbound.incrementAndGet() > MAX_INBOUND) {
      inbound.decrementAndGet();
      s.reset();
      return;
    }
    Cancellable t = scheduler.schedule(timeoutMillis, s::reset);
    s.closeFuture().whenComplete((v, e) -> {
      inbound.decrementAndGet();
      t.cancel();
    });
    s.setHandler(new StreamHandler() {
      boolean answered;
      final byte[] request = new byte[9];
      int read;

      @Override public void onData(Stream stream, ByteBuf data) {
        if (answered) return;
        int n = Math.min(request.length - read, data.readableBytes());
        data.readBytes(request, read, n);
        read += n;
        if (read >= 1 && request[0] == 1) {
          answered = true;
          reply(stream, serving);
        } else if (read >= 1 && request[0] != 2) {
          answered = true;
          stream.reset();
        } else if (read == request.length) {
          answered = true;
          reply(stream, byRound.get(ByteBuffer.wrap(request, 1, 8).getLong()));
        }
      }

      @Override public void onRemoteClosed(Stream stream) {
        if (!answered) stream.reset();
      }
    });
  }

  private void reply(Stream s, byte[] c) {
    ByteBuffer head = ByteBuffer.allocate(5);
    head.put((byte) (c == null ? 0 : 1)).putInt(c == null ? 0 : c.length);
    CompletableFuture<Void> f = s.write(Unpooled.wrappedBuffer(head.array()));
    if (c != null) {
      for (int off = 0; off < c.length; off += CHUNK_BYTES) {
        int o = off, n = Math.min(CHUNK_BYTES, c.length - off);
        f = f.thenCompose(v -> s.write(Unpooled.wrappedBuffer(c, o, n)));
      }
      f = f.thenRun(() -> bytesServed += c.length);
    }
    f.thenCompose(v -> s.closeWrite()).exceptionally(e -> {
      s.reset();
      return null;
    });
  }

  @Override public CompletableFuture<Optional<byte[]>> latest(PeerId peer) {
    return request(peer, new byte[] {1});
  }

  /** The checkpoint {@code peer} holds for the start of {@code round} (empty if it holds none). */
  public CompletableFuture<Optional<byte[]>> atRound(PeerId peer, long round) {
    return request(peer, ByteBuffer.allocate(9).put((byte) 2).putLong(round).array());
  }

  private CompletableFuture<Optional<byte[]>> request(PeerId peer, byte[] req) {
    CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
    Cancellable[] timer = new Cancellable[1];
    timer[0] = scheduler.schedule(timeoutMillis, () -> result.completeExceptionally(new TimeoutException("no checkpoint from " + peer + " within " + timeoutMillis + " ms")));
    host.newStream(peer, List.of(PROTOCOL)).whenComplete((s, err) -> {
      if (err != null) {
        result.completeExceptionally(err);
        return;
      }
      result.whenComplete((v, e) -> {
        timer[0].cancel();
        if (e != null) s.reset();
      });
      s.setHandler(new Reader(result));
      s.write(Unpooled.wrappedBuffer(req)).thenCompose(v -> s.closeWrite());
    });
    return result;
  }

  /** Reads one reply; runs on the stream's thread. */
  private final class Reader implements StreamHandler {
    private final CompletableFuture<Optional<byte[]>> result;
    private final byte[] head = new byte[5];
    private int headRead;
    private byte[] body;
    private int bodyRead;

    Reader(CompletableFuture<Optional<byte[]>> result) {
      this.result = result;
    }

    @Override public void onData(Stream stream, ByteBuf data) {
      if (result.isDone()) return;
      while (data.isReadable()) {
        if (headRead < head.length) {
          int n = Math.min(head.length - headRead, data.readableBytes());
          data.readBytes(head, headRead, n);
          headRead += n;
          if (headRead < head.length) return;
          int status = head[0];
          int len = ByteBuffer.wrap(head, 1, 4).getInt();
          if (status == 0) {
            result.complete(Optional.empty());
            return;
          }
          if (status != 1 || len < 0 || len > maxBytes) {
            result.completeExceptionally(new IllegalStateException("bad checkpoint reply from " + stream.remotePeer() + ": status " + status + ", length " + len + " (limit " + maxBytes + ")"));
            return;
          }
          body = new byte[len];
        }
        int n = Math.min(body.length - bodyRead, data.readableBytes());
        data.readBytes(body, bodyRead, n);
        bodyRead += n;
        if (bodyRead == body.length) {
          if (data.isReadable()) {
            result.completeExceptionally(new IllegalStateException("trailing bytes after the checkpoint from " + stream.remotePeer()));
            return;
          }
          bytesFetched += body.length;
          result.complete(Optional.of(body));
          return;
        }
      }
    }

    @Override public void onClosed(Stream stream, Throwable cause) {
      if (!result.isDone()) result.completeExceptionally(new IllegalStateException("stream closed before the checkpoint arrived" + (cause == null ? "" : ": " + cause.getMessage())));
    }
  }
}
