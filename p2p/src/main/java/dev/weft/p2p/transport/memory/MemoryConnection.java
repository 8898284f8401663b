package dev.weft.p2p.transport.memory;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.transport.StreamRouter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-memory connection. Messages to the other end (stream opens, data, closes) go
 * through this end's {@link Pipe}, so they arrive in order after the link's delays. State is
 * confined to the network's scheduler; public methods hop onto it and may be called from any
 * thread (the simulation thread with a {@link dev.weft.p2p.time.SimScheduler}).
 */
final class MemoryConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryConnection.class);
  /** Inbound streams open at once on one connection; more are refused (Yamux has the same bound). */
  static final int MAX_INBOUND_STREAMS = 1024;

  private final MemoryNetwork network;
  private final Scheduler scheduler;
  private final long id;
  private final PeerId localPeer;
  private final PeerId remotePeer;
  private final Multiaddr localAddress;
  private final Multiaddr remoteAddress;
  private final boolean initiator;
  private final StreamRouter router;
  private final Pipe out;
  private final Map<Long, MemoryStream> streams = new ConcurrentSkipListMap<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private MemoryConnection peer;
  private long nextStreamId;
  private int inboundStreams;
  private volatile boolean closed;

  MemoryConnection(MemoryNetwork network, long id, PeerId localPeer, PeerId remotePeer, Multiaddr localAddress,
      Multiaddr remoteAddress, boolean initiator, StreamRouter router, LinkConfig link) {
    this.network = network;
    this.scheduler = network.scheduler();
    this.id = id;
    this.localPeer = localPeer;
    this.remotePeer = remotePeer;
    this.localAddress = localAddress;
    this.remoteAddress = remoteAddress;
    this.initiator = initiator;
    this.router = router;
    this.out = new Pipe(scheduler, network.random(), link, () -> network.stalled(remotePeer));
    this.nextStreamId = initiator ? 1 : 2;
  }

  void pairWith(MemoryConnection other) {
    this.peer = other;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  PeerId localPeer() {
    return localPeer;
  }

  boolean isClosed() {
    return closed;
  }

  /** Delivers messages held while the remote was stalled. */
  void releaseHeld() {
    out.release();
  }

  /** Sends a message that runs {@code atRemote} on arrival at the other end. */
  void sendControl(Runnable atRemote) {
    out.send(Pipe.CONTROL_MESSAGE_BYTES, atRemote);
  }

  void sendData(int bytes, Runnable atRemote) {
    out.send(bytes, atRemote);
  }

  @Override public long id() {
    return id;
  }

  @Override public PeerId remotePeer() {
    return remotePeer;
  }

  @Override public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override public Multiaddr localAddress() {
    return localAddress;
  }

  @Override public boolean isInitiator() {
    return initiator;
  }

  @Override public CompletableFuture<Stream> newStream(List<String> protocols) {
    CompletableFuture<Stream> result = new CompletableFuture<>();
    List<String> asked = List.copyOf(protocols);
    if (asked.isEmpty()) {
      result.completeExceptionally(new IllegalArgumentException("no protocol given"));
      return result;
    }
    scheduler.execute(() -> {
      if (closed) {
        result.completeExceptionally(new IOException("connection closed"));
        return;
      }
      long streamId = nextStreamId;
      nextStreamId += 2;
      sendControl(() -> peer.onOpen(streamId, asked, result));
    });
    return result;
  }

  /** At the responder: a stream open request arrived. Answers through our pipe. */
  private void onOpen(long streamId, List<String> asked, CompletableFuture<Stream> opener) {
    if (closed) {
      sendControl(() -> opener.completeExceptionally(new IOException("connection closed")));
      return;
    }
    if (inboundStreams >= MAX_INBOUND_STREAMS) {
      LOG.debug("connection {} to {}: refusing stream, {} inbound streams open", id, remotePeer, inboundStreams);
      sendControl(() -> opener.completeExceptionally(new IOException("stream refused: too many streams")));
      return;
    }
    String chosen = null;
    ProtocolHandler handler = null;
    for (String p : asked) {
      handler = router.handler(p);
      if (handler != null) {
        chosen = p;
        break;
      }
    }
    if (handler == null) {
      sendControl(() -> opener.completeExceptionally(new UnsupportedProtocolException(asked)));
      return;
    }
    MemoryStream inbound = new MemoryStream(this, streamId, chosen, false);
    MemoryStream outbound = new MemoryStream(peer, streamId, chosen, true);
    inbound.pairWith(outbound);
    outbound.pairWith(inbound);
    streams.put(streamId, inbound);
    inboundStreams++;
    sendControl(() -> peer.onAccepted(outbound, opener));
    try {
      handler.handle(inbound);
    } catch (RuntimeException e) {
      LOG.warn("protocol handler for {} failed; resetting the stream", chosen, e);
      inbound.reset();
    }
  }

  /** At the opener: the responder accepted the stream. */
  private void onAccepted(MemoryStream stream, CompletableFuture<Stream> opener) {
    if (closed) {
      opener.completeExceptionally(new IOException("connection closed"));
      return;
    }
    streams.put(stream.id(), stream);
    if (!opener.complete(stream)) stream.reset();
  }

  void removeStream(MemoryStream s) {
    if (streams.remove(s.id()) != null && !s.isInitiator()) inboundStreams--;
  }

  @Override public List<Stream> streams() {
    return new ArrayList<>(streams.values());
  }

  @Override public CompletableFuture<Void> close() {
    scheduler.execute(() -> {
      if (closed) return;
      sendControl(() -> peer.terminate(new IOException("connection closed by remote")));
      terminate(new IOException("connection closed"));
    });
    return closeFuture;
  }

  /** Closes both ends at once, without a message (partition, refused handshake). */
  void abort(String reason) {
    terminate(new IOException(reason));
    if (peer != null) peer.terminate(new IOException(reason));
  }

  private void terminate(IOException cause) {
    if (closed) return;
    closed = true;
    for (MemoryStream s : new ArrayList<>(streams.values())) s.terminate(cause);
    streams.clear();
    network.closed(this);
    closeFuture.complete(null);
  }

  @Override public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override public String toString() {
    return "MemoryConnection{" + id + ", " + localPeer + (initiator ? " -> " : " <- ") + remotePeer + "}";
  }
}
