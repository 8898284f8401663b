package dev.weft.p2p.api;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One multiplexed, negotiated stream to a remote peer (a Yamux stream over TCP, or a stream of the
 * in-memory transport in simulations).
 *
 * <p>Threading: every {@link StreamHandler} callback of one stream runs on that stream's
 * connection thread (a Netty event loop, or the simulation's scheduler), one at a time. The
 * methods here may be called from any thread.
 *
 * <p>ByteBuf ownership: {@link #write} takes ownership of the buffer it is given and releases it,
 * whatever happens; the buffer passed to {@link StreamHandler#onData} is borrowed for the call
 * and released by the stream afterwards ({@code retain()} it to keep it).
 */
public interface Stream {
  /** Stream id within its connection (Yamux id), for logs. */
  long id();

  PeerId remotePeer();

  Connection connection();

  /** The protocol id negotiated with multistream-select for this stream. */
  String protocol();

  /** Whether we opened this stream. */
  boolean isInitiator();

  /**
   * Installs the receiver of this stream's events. Data that arrived before a handler was set is
   * delivered to it at once (the stream buffers a bounded amount meanwhile). {@code null}
   * detaches the current handler: data is buffered again until the next handler is set (how a
   * protocol that read its header hands the rest of the stream to another layer, losing nothing).
   */
  void setHandler(StreamHandler handler);

  /**
   * Queues {@code data} for sending. The future completes once the bytes are handed to the
   * transport (Yamux: within the peer's receive window), so a writer that waits for it before the
   * next write has flow control; it fails if the stream is reset or closed for writing.
   */
  CompletableFuture<Void> write(ByteBuf data);

  /** Half-close: no more writes from us (Yamux FIN); we can still read. */
  CompletableFuture<Void> closeWrite();

  /** Abrupt close in both directions (Yamux RST); pending writes fail. */
  void reset();

  /** Completes when the stream is closed in both directions or reset. Never fails. */
  CompletableFuture<Void> closeFuture();
}
