package dev.weft.p2p.protocol.ping;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The dialler side of one ping stream: sends {@code count} payloads one after another, checks each
 * echo and measures its round trip, then closes its side. Callbacks run on the stream's thread.
 */
final class PingClient implements StreamHandler {
  private final Scheduler scheduler;
  private final Random random;
  private final LongSupplier nanos;
  private final int count;
  private final CompletableFuture<List<Double>> result = new CompletableFuture<>();
  private final List<Double> rtts = new ArrayList<>();
  private final byte[] expected = new byte[PingProtocol.PAYLOAD_BYTES];
  private int received;
  private long sentAt;
  private Cancellable timeout;

  PingClient(Scheduler scheduler, Random random, LongSupplier nanos, int count) {
    this.scheduler = scheduler;
    this.random = random;
    this.nanos = nanos;
    this.count = count;
  }

  CompletableFuture<List<Double>> start(Stream stream) {
    stream.setHandler(this);
    sendNext(stream);
    return result;
  }

  private void sendNext(Stream stream) {
    synchronized (random) {
      random.nextBytes(expected);
    }
    received = 0;
    timeout = scheduler.schedule(PingProtocol.TIMEOUT_MILLIS, () -> fail(stream, new TimeoutException("no ping reply within " + PingProtocol.TIMEOUT_MILLIS + " ms")));
    sentAt = nanos.getAsLong();
    stream.write(Unpooled.wrappedBuffer(expected.clone()));
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    if (result.isDone()) return;
    while (data.isReadable()) {
      if (received == PingProtocol.PAYLOAD_BYTES) {
        fail(stream, new ProtocolViolationException("ping reply longer than " + PingProtocol.PAYLOAD_BYTES + " bytes"));
        return;
      }
      byte[] got = new byte[Math.min(data.readableBytes(), PingProtocol.PAYLOAD_BYTES - received)];
      data.readBytes(got);
      if (!Arrays.equals(got, 0, got.length, expected, received, received + got.length)) {
        fail(stream, new ProtocolViolationException("ping reply does not match the payload"));
        return;
      }
      received += got.length;
      if (received == PingProtocol.PAYLOAD_BYTES) {
        timeout.cancel();
        rtts.add((nanos.getAsLong() - sentAt) / 1e6);
        if (rtts.size() == count) {
          stream.closeWrite();
          result.complete(List.copyOf(rtts));
          return;
        }
        sendNext(stream);
      }
    }
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    if (!result.isDone()) {
      if (timeout != null) timeout.cancel();
      result.completeExceptionally(cause != null ? cause : new IOException("ping stream closed after " + rtts.size() + " of " + count + " pings"));
    }
  }

  private void fail(Stream stream, Throwable cause) {
    if (timeout != null) timeout.cancel();
    if (result.completeExceptionally(cause)) stream.reset();
  }
}
