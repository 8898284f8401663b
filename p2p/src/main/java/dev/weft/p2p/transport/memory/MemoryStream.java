package dev.weft.p2p.transport.memory;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-memory stream. Writes are copied to heap arrays and delivered to the other end
 * after the link's delay. A write's future completes once no more than {@link #SEND_WINDOW} bytes
 * of this stream are in flight, so a writer that waits for it is flow-controlled as over Yamux.
 *
 * <p>Confined to the network's scheduler; public methods may be called from any thread and hop
 * onto it. Handler callbacks run on the scheduler.
 */
final class MemoryStream implements Stream {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryStream.class);
  /** Bytes one stream may have in flight before write futures wait (Yamux's initial window). */
  static final int SEND_WINDOW = 256 * 1024;
  /** Bytes buffered for a stream whose handler is not set yet; more resets the stream. */
  static final int MAX_BUFFERED_BEFORE_HANDLER = 1024 * 1024;

  private sealed interface Event {}

  private record Data(byte[] bytes) implements Event {}

  private record RemoteClosed() implements Event {}

  private record Ended(Throwable cause) implements Event {}

  private record BlockedWrite(long threshold, CompletableFuture<Void> future) {}

  private final MemoryConnection connection;
  private final long id;
  private final String protocol;
  private final boolean initiator;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final ArrayDeque<Event> pending = new ArrayDeque<>();
  private final ArrayDeque<BlockedWrite> blocked = new ArrayDeque<>();
  private MemoryStream peer;
  private volatile StreamHandler handler;
  private long pendingBytes;
  private long sentTotal;
  private long arrivedTotal;
  private boolean writeClosed;
  private boolean readClosed;
  private boolean ended;

  MemoryStream(MemoryConnection connection, long id, String protocol, boolean initiator) {
    this.connection = connection;
    this.id = id;
    this.protocol = protocol;
    this.initiator = initiator;
  }

  void pairWith(MemoryStream other) {
    this.peer = other;
  }

  @Override public long id() {
    return id;
  }

  @Override public PeerId remotePeer() {
    return connection.remotePeer();
  }

  @Override public Connection connection() {
    return connection;
  }

  @Override public String protocol() {
    return protocol;
  }

  @Override public boolean isInitiator() {
    return initiator;
  }

  @Override public void setHandler(StreamHandler h) {
    this.handler = h;
    connection.scheduler().execute(this::drain);
  }

  @Override public CompletableFuture<Void> write(ByteBuf data) {
    byte[] bytes;
    try {
      bytes = ByteBufUtil.getBytes(data);
    } finally {
      data.release();
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    connection.scheduler().execute(() -> writeNow(bytes, f));
    return f;
  }

  private void writeNow(byte[] bytes, CompletableFuture<Void> f) {
    if (ended || writeClosed) {
      f.completeExceptionally(new IOException(ended ? "stream reset" : "stream closed for writing"));
      return;
    }
    long start = sentTotal;
    sentTotal += bytes.length;
    long threshold = start + bytes.length - SEND_WINDOW;
    if (threshold <= arrivedTotal) {
      f.complete(null);
    } else {
      blocked.add(new BlockedWrite(threshold, f));
    }
    MemoryStream remote = peer;
    connection.sendData(bytes.length, () -> {
      remote.onRemoteData(bytes);
      // The acknowledgement travels instantly: flow control needs only an approximate window.
      arrived(bytes.length);
    });
  }

  private void arrived(int n) {
    arrivedTotal += n;
    while (!blocked.isEmpty() && blocked.peek().threshold() <= arrivedTotal) blocked.poll().future().complete(null);
  }

  @Override public CompletableFuture<Void> closeWrite() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    connection.scheduler().execute(() -> {
      if (ended) {
        f.completeExceptionally(new IOException("stream reset"));
        return;
      }
      if (!writeClosed) {
        writeClosed = true;
        MemoryStream remote = peer;
        connection.sendControl(remote::onRemoteFin);
        if (readClosed) finish(null);
      }
      f.complete(null);
    });
    return f;
  }

  @Override public void reset() {
    connection.scheduler().execute(() -> {
      if (ended) return;
      MemoryStream remote = peer;
      connection.sendControl(() -> remote.terminate(new IOException("stream reset by remote")));
      terminate(new IOException("stream reset"));
    });
  }

  @Override public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  private void onRemoteData(byte[] bytes) {
    if (ended || readClosed) return;
    if (handler == null || !pending.isEmpty()) {
      pendingBytes += bytes.length;
      if (pendingBytes > MAX_BUFFERED_BEFORE_HANDLER) {
        LOG.debug("stream {} ({}): {} bytes buffered without a handler; resetting", id, protocol, pendingBytes);
        reset();
        return;
      }
      pending.add(new Data(bytes));
      if (handler != null) drain();
      return;
    }
    deliver(new Data(bytes));
  }

  private void onRemoteFin() {
    if (ended || readClosed) return;
    readClosed = true;
    if (handler == null || !pending.isEmpty()) {
      pending.add(new RemoteClosed());
      if (handler != null) drain();
    } else {
      deliver(new RemoteClosed());
    }
    if (writeClosed) finish(null);
  }

  /** Ends the stream now (local or remote reset, connection closed); fails blocked writes. */
  void terminate(Throwable cause) {
    if (ended) return;
    readClosed = true;
    writeClosed = true;
    finish(cause);
  }

  private void finish(Throwable cause) {
    if (ended) return;
    ended = true;
    while (!blocked.isEmpty()) blocked.poll().future().completeExceptionally(cause != null ? cause : new IOException("stream closed"));
    connection.removeStream(this);
    if (handler == null || !pending.isEmpty()) {
      pending.add(new Ended(cause));
      if (handler != null) drain();
    } else {
      deliver(new Ended(cause));
    }
    closeFuture.complete(null);
  }

  private void drain() {
    while (handler != null && !pending.isEmpty()) {
      Event e = pending.poll();
      if (e instanceof Data d) pendingBytes -= d.bytes().length;
      deliver(e);
    }
  }

  private void deliver(Event e) {
    StreamHandler h = handler;
    try {
      switch (e) {
        case Data d -> {
          ByteBuf buf = Unpooled.wrappedBuffer(d.bytes());
          try {
            h.onData(this, buf);
          } finally {
            buf.release();
          }
        }
        case RemoteClosed rc -> h.onRemoteClosed(this);
        case Ended en -> h.onClosed(this, en.cause());
      }
    } catch (RuntimeException ex) {
      LOG.warn("stream handler for {} failed; resetting the stream", protocol, ex);
      if (!(e instanceof Ended)) reset();
    }
  }

  @Override public String toString() {
    return "MemoryStream{" + connection.id() + "/" + id + " " + protocol + "}";
  }
}
