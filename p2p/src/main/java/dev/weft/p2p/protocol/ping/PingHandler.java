package dev.weft.p2p.protocol.ping;

import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener side of one ping stream: echoes what arrives, closes its side when the remote
 * closes. Resets the stream when the peer stops reading our echoes or goes quiet for
 * {@link PingProtocol#INBOUND_IDLE_MILLIS}. Runs on the stream's thread.
 */
final class PingHandler implements StreamHandler {
  private final Scheduler scheduler;
  private final Runnable onEnd;
  private final AtomicInteger unsent = new AtomicInteger();
  private Cancellable idle;

  PingHandler(Scheduler scheduler, Stream stream, Runnable onEnd) {
    this.scheduler = scheduler;
    this.onEnd = onEnd;
    armIdle(stream);
  }

  private void armIdle(Stream stream) {
    if (idle != null) idle.cancel();
    idle = scheduler.schedule(PingProtocol.INBOUND_IDLE_MILLIS, stream::reset);
  }

  @Override public void onData(Stream stream, ByteBuf data) {
    armIdle(stream);
    int n = data.readableBytes();
    if (unsent.addAndGet(n) > PingProtocol.MAX_UNSENT_ECHO_BYTES) {
      stream.reset();
      return;
    }
    stream.write(data.retainedSlice()).whenComplete((v, e) -> unsent.addAndGet(-n));
  }

  @Override public void onRemoteClosed(Stream stream) {
    stream.closeWrite();
  }

  @Override public void onClosed(Stream stream, Throwable cause) {
    if (idle != null) idle.cancel();
    onEnd.run();
  }
}
