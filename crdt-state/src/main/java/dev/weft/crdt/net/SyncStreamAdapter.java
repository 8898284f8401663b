package dev.weft.crdt.net;

import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.sync.SyncSession;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link SyncSession} over one stream: frames in (length-checked on the stream thread),
 * session on the scheduler, actions out. A read timer is re-armed at each frame; when it fires the
 * session fails and the stream is reset. ByteBufs: the inbound buffer is borrowed and only read;
 * outbound frames are fresh wrapped buffers whose ownership passes to {@link Stream#write}.
 */
final class SyncStreamAdapter implements StreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SyncStreamAdapter.class);
  private final Stream stream;
  private final SyncSession session;
  private final Scheduler scheduler;
  private final FrameReader reader;
  private final long readTimeoutMillis;
  private final Consumer<SyncSession> onEnd;
  private Cancellable timer;
  private boolean ended;

  SyncStreamAdapter(Stream stream, SyncSession session, Scheduler scheduler, int maxFrameBytes, long readTimeoutMillis, Consumer<SyncSession> onEnd) {
    this.stream = stream;
    this.session = session;
    this.scheduler = scheduler;
    this.reader = new FrameReader(maxFrameBytes);
    this.readTimeoutMillis = readTimeoutMillis;
    this.onEnd = onEnd;
  }

  /** On the scheduler: sends our digest and arms the timer. */
  void start() {
    apply(session.start());
    armTimer();
  }

  @Override public void onData(Stream s, ByteBuf data) {
    List<byte[]> frames;
    try {
      frames = reader.feed(data);
    } catch (MalformedEncodingException e) {
      LOG.debug("sync stream from {}: {}", s.remotePeer(), e.getMessage());
      s.reset();
      scheduler.execute(() -> end());
      return;
    }
    if (frames.isEmpty()) return;
    scheduler.execute(() -> {
      if (ended) return;
      for (byte[] f : frames) {
        apply(session.onFrame(f));
        if (ended) return;
      }
      armTimer();
    });
  }

  @Override public void onClosed(Stream s, Throwable cause) {
    scheduler.execute(this::end);
  }

  private void armTimer() {
    if (timer != null) timer.cancel();
    if (ended) return;
    timer = scheduler.schedule(readTimeoutMillis, () -> apply(session.onTimeout()));
  }

  private void apply(List<SyncSession.Action> actions) {
    for (SyncSession.Action a : actions) {
      switch (a) {
        case SyncSession.Action.Send send -> stream.write(Unpooled.wrappedBuffer(FrameReader.frame(send.frame())));
        case SyncSession.Action.Finish f -> {
          stream.closeWrite();
          end();
        }
        case SyncSession.Action.Fail f -> {
          LOG.debug("sync with {} failed: {}", stream.remotePeer(), f.reason());
          stream.reset();
          end();
        }
      }
    }
  }

  private void end() {
    if (ended) return;
    ended = true;
    if (timer != null) timer.cancel();
    onEnd.accept(session);
  }
}
