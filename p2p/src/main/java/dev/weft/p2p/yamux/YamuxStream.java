package dev.weft.p2p.yamux;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Yamux stream (yamux/README.md#message-flow), as an {@link Stream}.
 *
 * <pre>
 *   OPEN --we closeWrite (FIN sent)--> LOCAL_CLOSED --remote FIN--> CLOSED
 *   OPEN --remote FIN--> REMOTE_CLOSED --we closeWrite--> CLOSED
 *   any --RST either way, or connection lost--> CLOSED (reset)
 * </pre>
 *
 * Flow control: we send at most the peer's window (starting at 256 KiB) and queue the rest,
 * completing each write's future once all its bytes are handed to the connection. We grant window
 * back as our handler consumes data, growing the window (doubling up to
 * {@link YamuxConfig#maxWindow}) so a fast reader is not throttled by round trips.
 *
 * <p>Threading: all state is confined to the connection's event loop; public methods called from
 * other threads hop onto it. Ownership: see {@link Stream}; buffered inbound data is retained here
 * and released when delivered or when the stream ends.
 */
final class YamuxStream implements Stream {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxStream.class);
  /** Largest Data frame we send; big frames keep header and per-frame costs negligible. */
  static final int MAX_SEND_FRAME = 256 * 1024;
  /** A window beyond 2^32-1 cannot be expressed on the wire: a peer that grants it is broken. */
  private static final long MAX_SEND_WINDOW = 0xFFFF_FFFFL;

  private record PendingWrite(ByteBuf data, CompletableFuture<Void> future) {}

  private final YamuxSession session;
  private final long id;
  private final boolean initiator;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile String protocol;

  private StreamHandler handler;
  private ByteBuf leftover; // bytes after multistream negotiation: already credited to the window
  private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>();
  private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
  /** Writes (data) and close requests (null data) in call order, from any thread. */
  private final ConcurrentLinkedQueue<PendingWrite> incoming = new ConcurrentLinkedQueue<>();
  long recvWindow = YamuxConfig.SPEC_INITIAL_WINDOW;
  private long sendWindow = YamuxConfig.SPEC_INITIAL_WINDOW;
  private long windowTarget = YamuxConfig.SPEC_INITIAL_WINDOW;
  private long consumedSinceUpdate;
  private boolean acked;
  private boolean finQueued;
  private boolean finSent;
  private CompletableFuture<Void> finFuture;
  private boolean remoteFin;
  private boolean remoteFinDelivered;
  private boolean closed;
  private Throwable closeCause;

  YamuxStream(YamuxSession session, long id, boolean initiator) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
    this.acked = !initiator;
  }

  @Override public long id() {
    return id;
  }

  @Override public PeerId remotePeer() {
    return session.remotePeer();
  }

  @Override public Connection connection() {
    return session;
  }

  @Override public String protocol() {
    return protocol;
  }

  @Override public boolean isInitiator() {
    return initiator;
  }

  @Override public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  boolean isAcked() {
    return acked;
  }

  boolean isClosed() {
    return closed;
  }

  @Override public void setHandler(StreamHandler h) {
    session.runOnLoop(() -> {
      handler = h;
      drain();
    });
  }

  /**
   * Queues {@code data}. Writes and {@link #closeWrite} from any mix of threads reach the wire in
   * the order they were called: they pass through one lock-free queue that the event loop drains,
   * so a write made on the event loop cannot overtake one made earlier on another thread.
   */
  @Override public CompletableFuture<Void> write(ByteBuf data) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    incoming.add(new PendingWrite(data, f));
    scheduleDrain();
    return f;
  }

  @Override public CompletableFuture<Void> closeWrite() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    incoming.add(new PendingWrite(null, f));
    scheduleDrain();
    return f;
  }

  private void scheduleDrain() {
    session.runOnLoop(this::drainIncoming, () -> {
      PendingWrite w;
      while ((w = incoming.poll()) != null) {
        if (w.data() != null) ReferenceCountUtil.release(w.data());
        w.future().completeExceptionally(new StreamResetException("connection closed"));
      }
    });
  }

  /** Moves queued writes and close requests, in call order, onto the send queue (event loop). */
  private void drainIncoming() {
    PendingWrite op;
    while ((op = incoming.poll()) != null) {
      if (op.data() == null) {
        acceptCloseWrite(op.future());
      } else {
        acceptWrite(op.data(), op.future());
      }
    }
    pump();
  }

  private void acceptWrite(ByteBuf data, CompletableFuture<Void> f) {
    if (closed || finQueued) {
      data.release();
      f.completeExceptionally(closed && closeCause != null ? closeCause : new IllegalStateException("stream closed for writing"));
      return;
    }
    if (!data.isReadable()) {
      data.release();
      f.complete(null);
      return;
    }
    writes.add(new PendingWrite(data, f));
  }

  private void acceptCloseWrite(CompletableFuture<Void> f) {
    if (closed && !finSent) {
      f.completeExceptionally(closeCause != null ? closeCause : new IllegalStateException("stream closed"));
      return;
    }
    if (!finQueued) {
      finQueued = true;
      finFuture = new CompletableFuture<>();
    }
    finFuture.whenComplete((v, e) -> {
      if (e != null) f.completeExceptionally(e); else f.complete(null);
    });
  }

  @Override public void reset() {
    session.runOnLoop(() -> {
      if (closed) return;
      session.sendFrame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
      session.scheduleFlush();
      terminate(new StreamResetException("stream reset locally"));
    }, () -> {});
  }

  /** After multistream-select: records the protocol, detaches the negotiator, keeps the bytes after it. */
  void negotiated(String p, ByteBuf rest) {
    protocol = p;
    handler = null;
    if (rest.isReadable() && !closed) {
      leftover = rest;
      charge(rest.readableBytes());
    } else {
      rest.release();
    }
  }

  // ---- events from the session (event loop) ----

  void onAck() {
    acked = true;
  }

  void onWindowUpdate(long delta) throws YamuxException {
    sendWindow += delta;
    if (sendWindow > MAX_SEND_WINDOW) throw new YamuxException("stream " + id + " send window beyond 2^32");
    pump();
  }

  void onData(ByteBuf chunk) {
    if (closed || remoteFin) return;
    if (handler != null && leftover == null && unread.isEmpty()) {
      deliver(chunk, true);
      return;
    }
    unread.add(chunk.retainedSlice());
    if (charge(chunk.readableBytes())) {
      LOG.debug("resetting stream {} of {}: too much data buffered before its handler was set", id, session);
      reset();
    }
  }

  void onRemoteFin() {
    if (closed || remoteFin) return;
    remoteFin = true;
    drain();
  }

  void onRemoteReset() {
    terminate(new StreamResetException("stream reset by remote"));
  }

  /** The connection is gone: end without sending anything. */
  void onSessionClosed() {
    terminate(new StreamResetException("connection closed"));
  }

  /** Sends what the peer's window and the channel allow. */
  void pump() {
    if (closed) return;
    boolean wrote = false;
    while (!writes.isEmpty() && sendWindow > 0 && session.isWritable()) {
      PendingWrite w = writes.peek();
      int n = (int) Math.min(Math.min(w.data().readableBytes(), sendWindow), MAX_SEND_FRAME);
      session.sendData(id, 0, w.data().readRetainedSlice(n));
      sendWindow -= n;
      wrote = true;
      if (!w.data().isReadable()) {
        writes.poll();
        w.data().release();
        w.future().complete(null);
      }
    }
    if (writes.isEmpty() && finQueued && !finSent) {
      finSent = true;
      session.sendFrame(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, id, 0);
      wrote = true;
      finFuture.complete(null);
      maybeClosed();
    }
    if (wrote) session.scheduleFlush();
  }

  boolean hasPendingWrites() {
    return !writes.isEmpty();
  }

  private void drain() {
    if (handler == null) return;
    if (leftover != null) {
      ByteBuf b = leftover;
      leftover = null;
      uncharge(b.readableBytes());
      try {
        deliver(b, false);
      } finally {
        b.release();
      }
    }
    while (handler != null && !unread.isEmpty() && !closed) {
      ByteBuf b = unread.poll();
      uncharge(b.readableBytes());
      try {
        deliver(b, true);
      } finally {
        b.release();
      }
    }
    if (handler != null && remoteFin && !remoteFinDelivered && unread.isEmpty() && leftover == null && !closed) {
      remoteFinDelivered = true;
      StreamHandler h = handler;
      try {
        h.onRemoteClosed(this);
      } catch (RuntimeException e) {
        handlerFailed(e);
        return;
      }
      maybeClosed();
    }
    if (closed && handler != null) notifyClosed();
  }

  private void deliver(ByteBuf data, boolean credit) {
    int n = data.readableBytes();
    try {
      handler.onData(this, data);
    } catch (RuntimeException e) {
      handlerFailed(e);
      return;
    }
    if (credit) credit(n);
  }

  private void handlerFailed(RuntimeException e) {
    LOG.warn("handler of stream {} ({}) on {} threw; resetting the stream", id, protocol, session, e);
    reset();
  }

  /** Grants window back for consumed bytes, once half the window is used, growing it while read fast. */
  private void credit(int n) {
    if (closed || remoteFin) return;
    consumedSinceUpdate += n;
    if (consumedSinceUpdate < windowTarget / 2) return;
    long growth = Math.min(windowTarget, session.config().maxWindow() - windowTarget);
    windowTarget += growth;
    long delta = consumedSinceUpdate + growth;
    consumedSinceUpdate = 0;
    recvWindow += delta;
    session.sendFrame(YamuxFrame.TYPE_WINDOW_UPDATE, 0, id, delta);
    session.scheduleFlush();
  }

  private void maybeClosed() {
    if (finSent && remoteFinDelivered && !closed) terminate(null);
  }

  private void terminate(Throwable cause) {
    if (closed) return;
    closed = true;
    closeCause = cause;
    PendingWrite w;
    Throwable writeFailure = cause != null ? cause : new IllegalStateException("stream closed");
    while ((w = writes.poll()) != null) {
      w.data().release();
      w.future().completeExceptionally(writeFailure);
    }
    while ((w = incoming.poll()) != null) {
      if (w.data() != null) w.data().release();
      w.future().completeExceptionally(writeFailure);
    }
    if (finFuture != null && !finFuture.isDone()) finFuture.completeExceptionally(writeFailure);
    if (leftover != null) {
      uncharge(leftover.readableBytes());
      leftover.release();
      leftover = null;
    }
    ByteBuf b;
    while ((b = unread.poll()) != null) {
      uncharge(b.readableBytes());
      b.release();
    }
    session.removeStream(this);
    if (handler != null) notifyClosed();
    closeFuture.complete(null);
  }

  private boolean closedNotified;
  /** The protocol buffered bytes are charged under: fixed at the first charge so every release matches it. */
  private String chargeKey;

  private boolean charge(int n) {
    if (chargeKey == null) chargeKey = protocol == null ? "" : protocol;
    return session.buffered(chargeKey, n);
  }

  private void uncharge(int n) {
    session.unbuffered(chargeKey, n);
  }

  private void notifyClosed() {
    if (closedNotified) return;
    closedNotified = true;
    try {
      handler.onClosed(this, closeCause);
    } catch (RuntimeException e) {
      LOG.warn("onClosed of stream {} on {} threw", id, session, e);
    }
  }

  @Override public String toString() {
    return "YamuxStream(" + id + ", " + protocol + ", " + session + ")";
  }
}
