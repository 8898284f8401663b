package dev.weft.p2p.multistream;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Runs multistream-select on a fresh {@link Stream} (every new Yamux stream): the opener proposes
 * protocols in order, the acceptor answers from what it supports. Installs itself as the stream's
 * handler for the duration; the result carries the bytes that followed the agreed message, which
 * belong to the protocol and must be delivered to its handler first.
 *
 * <p>Thread: the stream's connection thread (stream callbacks and the timeout both run there).
 * On failure or timeout the future fails and the stream is reset.
 */
public final class StreamNegotiator implements StreamHandler {
  /** How long the negotiation of one stream may take. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  /** Schedules the timeout on the stream's thread; {@code Scheduler::schedule} fits. */
  @FunctionalInterface
  public interface Timer {
    Cancellable schedule(long delayMillis, Runnable task);
  }

  /**
   * The agreed protocol and the bytes that came after it. The receiver owns {@code leftover}
   * (possibly empty) and must release it.
   */
  public record Negotiated(String protocol, ByteBuf leftover) {}

  private final MultistreamNegotiation negotiation;
  private final CompletableFuture<Negotiated> result = new CompletableFuture<>();
  private final ByteBuf cumulation;
  private final ByteBufAllocator alloc;
  private Cancellable timeout;
  private boolean finished;

  private StreamNegotiator(MultistreamNegotiation negotiation, ByteBufAllocator alloc) {
    this.negotiation = negotiation;
    this.alloc = alloc;
    this.cumulation = alloc.heapBuffer(64);
  }

  /** Proposes {@code protocols} on {@code stream} (which we opened). Call on the stream's thread. */
  public static CompletableFuture<Negotiated> select(Stream stream, List<String> protocols, Timer timer, long timeoutMillis, ByteBufAllocator alloc) {
    return new StreamNegotiator(MultistreamNegotiation.initiator(protocols), alloc).run(stream, timer, timeoutMillis);
  }

  /** Answers the proposals on {@code stream} (which the remote opened). Call on the stream's thread. */
  public static CompletableFuture<Negotiated> respond(Stream stream, Predicate<String> supported, Timer timer, long timeoutMillis, ByteBufAllocator alloc) {
    return new StreamNegotiator(MultistreamNegotiation.responder(supported), alloc).run(stream, timer, timeoutMillis);
  }

  private CompletableFuture<Negotiated> run(Stream stream, Timer timer, long timeoutMillis) {
    timeout = timer.schedule(timeoutMillis, () -> fail(stream, "negotiation timed out after " + timeoutMillis + " ms"));
    stream.setHandler(this);
    send(stream, negotiation.start());
    return result;
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    if (finished) return;
    // Bounded without a check of its own: the codec rejects an over-long length prefix, so at most
    // one incomplete message plus the current chunk (bounded by the muxer's window) is held.
    cumulation.writeBytes(data);
    while (!finished) {
      String message;
      try {
        message = MultistreamCodec.decode(cumulation);
      } catch (MultistreamException e) {
        fail(stream, e.getMessage());
        return;
      }
      if (message == null) {
        cumulation.discardReadBytes();
        return;
      }
      MultistreamNegotiation.Step step = negotiation.onMessage(message);
      send(stream, step.send());
      if (step.failure() != null) {
        fail(stream, step.failure());
      } else if (step.selected() != null) {
        finished = true;
        timeout.cancel();
        ByteBuf leftover = cumulation.readableBytes() == 0 ? Unpooled.EMPTY_BUFFER : cumulation.retainedSlice();
        cumulation.release();
        result.complete(new Negotiated(step.selected(), leftover));
      }
    }
  }

  @Override public void onRemoteClosed(Stream stream) {
    fail(stream, "stream closed by remote during negotiation");
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    fail(stream, "stream closed during negotiation" + (cause == null ? "" : ": " + cause.getMessage()));
  }

  private void send(Stream stream, List<String> messages) {
    if (messages.isEmpty()) return;
    stream.write(MultistreamCodec.encode(alloc, messages));
  }

  private void fail(Stream stream, String reason) {
    if (finished) return;
    finished = true;
    if (timeout != null) timeout.cancel();
    cumulation.release();
    result.completeExceptionally(new MultistreamException(reason));
    stream.reset();
  }
}
