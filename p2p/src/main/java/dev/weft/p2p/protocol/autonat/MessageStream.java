package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A stream carrying length-prefixed protobuf messages both ways, with a size limit per message
 * ({@link DelimitedFrames}) and one deadline for the whole exchange: past it, or on a malformed
 * prefix, the stream is reset and {@link Listener#onFailed} is told why. Callbacks run on the
 * stream's thread; copies what it keeps (the borrowed ByteBuf is only read).
 */
public final class MessageStream implements StreamHandler {
  /** Receives one stream's messages. */
  public interface Listener {
    /** A complete message body; throw {@link ProtocolViolationException} to reset the stream. */
    void onMessage(MessageStream self, byte[] body) throws ProtocolViolationException;

    /** The exchange ended before the listener finished it: reset, timed out, malformed, or closed early. */
    void onFailed(Throwable cause);
  }

  /** A peer that never closes its half after we finished would hold the stream open forever. */
  static final long LINGER_MILLIS = 10_000;

  private final Stream stream;
  private final Scheduler scheduler;
  private final DelimitedFrames frames;
  private final Cancellable deadline;
  private Listener listener;
  private volatile boolean done;

  private MessageStream(Stream stream, int maxMessageBytes, long timeoutMillis, Scheduler scheduler) {
    this.stream = stream;
    this.scheduler = scheduler;
    this.frames = new DelimitedFrames(maxMessageBytes);
    this.deadline = scheduler.schedule(timeoutMillis, () -> fail(new TimeoutException("exchange not finished within " + timeoutMillis + " ms")));
  }

  /** Takes over {@code stream}: its inbound messages go to {@code listener} from now on. */
  public static MessageStream attach(Stream stream, int maxMessageBytes, long timeoutMillis, Scheduler scheduler, Listener listener) {
    MessageStream m = new MessageStream(stream, maxMessageBytes, timeoutMillis, scheduler);
    m.listener = listener;
    stream.setHandler(m);
    return m;
  }

  public Stream stream() {
    return stream;
  }

  /** Sends one message with its length prefix. */
  public void send(byte[] body) {
    if (done) return;
    stream.write(Unpooled.wrappedBuffer(Varint.encode(body.length), body));
  }

  /** The exchange is over: stop the deadline and half-close our side. Later input is ignored. */
  public void finish() {
    if (done) return;
    done = true;
    deadline.cancel();
    stream.closeWrite();
    Cancellable linger = scheduler.schedule(LINGER_MILLIS, stream::reset);
    stream.closeFuture().whenComplete((v, e) -> linger.cancel());
  }

  /** Ends the exchange abruptly (reset) without telling the listener. */
  public void abort() {
    if (done) return;
    done = true;
    deadline.cancel();
    stream.reset();
  }

  @Override public void onData(Stream s, ByteBuf data) {
    if (done) return;
    byte[] bytes = new byte[data.readableBytes()];
    data.readBytes(bytes);
    try {
      List<byte[]> messages = frames.feed(bytes, 0, bytes.length);
      for (byte[] m : messages) {
        if (done) return;
        listener.onMessage(this, m);
      }
    } catch (ProtocolViolationException e) {
      fail(e);
    }
  }

  @Override public void onRemoteClosed(Stream s) {
    if (!done) fail(new IOException("remote closed the stream before the exchange finished"));
  }

  @Override public void onClosed(Stream s, Throwable cause) {
    if (!done) fail(cause != null ? cause : new IOException("stream closed before the exchange finished"));
  }

  private void fail(Throwable cause) {
    if (done) return;
    done = true;
    deadline.cancel();
    stream.reset();
    listener.onFailed(cause);
  }
}
