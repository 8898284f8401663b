package dev.weft.p2p.yamux;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multistream.StreamNegotiator;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session over a secured channel, and the {@link Connection} it gives the host. The last
 * handler of the pipeline: it reads frames with {@link YamuxFrameReader}, keeps the streams, and
 * writes frames (the Noise encoder below coalesces them per flush).
 *
 * <p>Stream ids: the dialer (initiator) uses odd ids, the listener even ones. New streams are
 * negotiated with multistream-select: outbound against the caller's protocol list, inbound
 * against the {@link StreamRouter}, whose handler gets the stream.
 *
 * <p>Faults: a frame that breaks the protocol (stream 0 data, a SYN for a live stream, data beyond
 * the window, an unknown type or version, a window overflow) gets a Go Away with the protocol
 * error code, and the connection is closed and logged. Limits: {@link YamuxConfig#maxStreams}
 * (extra SYNs are refused with RST; a peer that keeps opening after that is disconnected),
 * bytes buffered for handlers not yet set ({@link YamuxConfig#maxBufferedPerSession}), ack
 * backlog of our own streams.
 *
 * <p>Threading: state lives on the channel's event loop; the {@link Connection} methods may be
 * called from any thread. Ownership: inbound ByteBufs are released here after their frames are
 * read; data handed to stream handlers is borrowed (see {@link Stream}).
 */
public final class YamuxSession extends ChannelInboundHandlerAdapter implements Connection, YamuxFrameReader.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);
  private static final AtomicLong IDS = new AtomicLong();
  /** Refused SYNs tolerated (beyond the stream limit, without an accepted stream in between). */
  static final int MAX_CONSECUTIVE_REFUSED = 1024;
  /** Pings of our own awaiting their answer. */
  static final int MAX_OUTSTANDING_PINGS = 16;

  private final long connectionId = IDS.incrementAndGet();
  private final YamuxConfig config;
  private final boolean initiator;
  private final PeerId remotePeer;
  private final Multiaddr localAddress;
  private final Multiaddr remoteAddress;
  private final StreamRouter router;
  private final NanoClock clock;
  private final YamuxFrameReader reader;
  private final Map<Long, YamuxStream> streams = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final Map<Long, PendingPing> pings = new HashMap<>();
  private volatile ChannelHandlerContext ctx;
  private volatile EventExecutor loop;
  private volatile ResourceManager resources;

  private long nextStreamId;
  private long nextPingId = 1;
  private int inboundStreams;
  private int consecutiveRefused;
  private long bufferedBytes;
  private YamuxStream currentData;
  private boolean goAwayReceived;
  private boolean closing;
  private boolean failed;
  private boolean terminated;
  private boolean flushScheduled;

  private record PendingPing(long startNanos, CompletableFuture<Duration> future) {}

  /**
   * @param initiator whether we dialled (odd stream ids)
   * @param router where inbound streams go; null refuses every protocol
   */
  public YamuxSession(YamuxConfig config, boolean initiator, PeerId remotePeer, Multiaddr localAddress,
      Multiaddr remoteAddress, StreamRouter router) {
    this(config, initiator, remotePeer, localAddress, remoteAddress, router, NanoClock.SYSTEM);
  }

  /** @param clock times our pings ({@link #ping}); virtual time in simulations */
  public YamuxSession(YamuxConfig config, boolean initiator, PeerId remotePeer, Multiaddr localAddress,
      Multiaddr remoteAddress, StreamRouter router, NanoClock clock) {
    this.config = config;
    this.clock = clock;
    this.initiator = initiator;
    this.remotePeer = remotePeer;
    this.localAddress = localAddress;
    this.remoteAddress = remoteAddress;
    this.router = router;
    this.nextStreamId = initiator ? 1 : 2;
    this.reader = new YamuxFrameReader(config.maxWindow(), this);
  }

  YamuxConfig config() {
    return config;
  }

  /**
   * Charges bytes buffered for handlers to {@code manager} too (per peer, per protocol,
   * host-wide), on top of this session's own limit. Call before the session reads its first frame
   * (the transport does, as the upgrade completes on the event loop).
   */
  public void useResources(ResourceManager manager) {
    this.resources = manager;
  }

  /** The manager this session charges, or null. */
  public ResourceManager resources() {
    return resources;
  }

  // ---- Connection ----

  @Override public long id() {
    return connectionId;
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

  @Override public List<Stream> streams() {
    List<Stream> out = new ArrayList<>();
    for (YamuxStream s : streams.values()) if (s.protocol() != null) out.add(s);
    return out;
  }

  @Override public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override public CompletableFuture<Stream> newStream(List<String> protocols) {
    CompletableFuture<Stream> f = new CompletableFuture<>();
    if (protocols.isEmpty()) {
      f.completeExceptionally(new IllegalArgumentException("no protocols"));
      return f;
    }
    runOnLoop(() -> openStream(protocols, f), () -> f.completeExceptionally(new IllegalStateException("connection closed")));
    return f;
  }

  private void openStream(List<String> protocols, CompletableFuture<Stream> f) {
    if (terminated || closing || goAwayReceived) {
      f.completeExceptionally(new IllegalStateException("connection " + (goAwayReceived ? "going away" : "closed")));
      return;
    }
    int unacked = 0;
    for (YamuxStream s : streams.values()) if (s.isInitiator() && !s.isAcked()) unacked++;
    if (unacked >= config.maxAckBacklog()) {
      f.completeExceptionally(new IllegalStateException("too many streams not yet acknowledged by the remote"));
      return;
    }
    long id = nextStreamId;
    if (id > 0xFFFF_FFFFL) {
      f.completeExceptionally(new IllegalStateException("stream ids exhausted"));
      return;
    }
    nextStreamId += 2;
    YamuxStream s = new YamuxStream(this, id, true);
    streams.put(id, s);
    sendFrame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
    scheduleFlush();
    StreamNegotiator.select(s, protocols, this::schedule, config.negotiationTimeoutMillis(), ctx.alloc())
        .whenComplete((n, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            s.negotiated(n.protocol(), n.leftover());
            if (!f.complete(s)) s.reset();
          }
        });
  }

  @Override public CompletableFuture<Void> close() {
    runOnLoop(() -> {
      if (closing || terminated) return;
      closing = true;
      sendFrame(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_NORMAL);
      ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(x -> ctx.close());
    }, () -> {});
    return closeFuture;
  }

  /** Measures the round trip with a Yamux ping (answered by the remote's session, not an app). */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    runOnLoop(() -> {
      if (terminated || closing) {
        f.completeExceptionally(new IllegalStateException("connection closed"));
        return;
      }
      if (pings.size() >= MAX_OUTSTANDING_PINGS) {
        f.completeExceptionally(new IllegalStateException("too many pings outstanding"));
        return;
      }
      long opaque = nextPingId;
      nextPingId = (nextPingId + 1) & 0xFFFF_FFFFL;
      pings.put(opaque, new PendingPing(clock.nowNanos(), f));
      sendFrame(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, opaque);
      scheduleFlush();
    }, () -> f.completeExceptionally(new IllegalStateException("connection closed")));
    return f;
  }

  // ---- channel events ----

  @Override public void handlerAdded(ChannelHandlerContext c) {
    ctx = c;
    loop = c.executor();
    c.channel().closeFuture().addListener(x -> terminate());
  }

  @Override public void channelRead(ChannelHandlerContext c, Object msg) {
    if (!(msg instanceof ByteBuf buf) || failed || terminated) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      reader.read(buf);
    } catch (YamuxException e) {
      protocolError(e.getMessage());
    } finally {
      buf.release();
    }
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext c) throws Exception {
    if (c.channel().isWritable()) {
      for (YamuxStream s : streams.values()) if (s.hasPendingWrites()) s.pump();
    }
    super.channelWritabilityChanged(c);
  }

  @Override public void channelInactive(ChannelHandlerContext c) throws Exception {
    terminate();
    super.channelInactive(c);
  }

  @Override public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    LOG.debug("closing {}: {}", this, cause.toString());
    c.close();
  }

  // ---- frames ----

  @Override public void onHeader(YamuxFrame.Header h) throws YamuxException {
    currentData = null;
    switch (h.type()) {
      case YamuxFrame.TYPE_PING -> onPing(h);
      case YamuxFrame.TYPE_GO_AWAY -> {
        goAwayReceived = true;
        if (h.length() != YamuxFrame.GO_AWAY_NORMAL) LOG.debug("{} received go away with error code {}", this, h.length());
      }
      default -> onStreamFrame(h);
    }
  }

  private void onPing(YamuxFrame.Header h) throws YamuxException {
    if (h.streamId() != 0) throw new YamuxException("ping on stream " + h.streamId());
    if (h.has(YamuxFrame.FLAG_SYN)) {
      // A peer that pings but does not read would grow our outbound buffer without bound.
      if (!ctx.channel().isWritable()) return;
      sendFrame(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, h.length());
      scheduleFlush();
    } else if (h.has(YamuxFrame.FLAG_ACK)) {
      PendingPing p = pings.remove(h.length());
      if (p != null) p.future().complete(Duration.ofNanos(clock.nowNanos() - p.startNanos()));
    }
  }

  private void onStreamFrame(YamuxFrame.Header h) throws YamuxException {
    long id = h.streamId();
    if (id == 0) throw new YamuxException("stream frame on the session id 0");
    YamuxStream s = streams.get(id);
    if (h.has(YamuxFrame.FLAG_SYN)) {
      if (s != null) throw new YamuxException("SYN for stream " + id + " which is open");
      if ((id % 2 == 1) == initiator) throw new YamuxException("remote opened stream " + id + " with our parity");
      s = accept(id);
    }
    if (s == null) return; // a stream we reset or refused: its frames are dropped
    if (h.has(YamuxFrame.FLAG_ACK)) s.onAck();
    if (h.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
      s.onWindowUpdate(h.length());
    } else {
      if (h.length() > s.recvWindow) throw new YamuxException("stream " + id + " sent " + h.length() + " bytes beyond its window of " + s.recvWindow);
      s.recvWindow -= h.length();
      currentData = s;
    }
  }

  @Override public void onData(ByteBuf chunk) {
    if (currentData != null) currentData.onData(chunk);
  }

  @Override public void onFrameEnd(YamuxFrame.Header h) {
    currentData = null;
    if (h.type() != YamuxFrame.TYPE_DATA && h.type() != YamuxFrame.TYPE_WINDOW_UPDATE) return;
    YamuxStream s = streams.get(h.streamId());
    if (s == null) return;
    if (h.has(YamuxFrame.FLAG_RST)) {
      s.onRemoteReset();
    } else if (h.has(YamuxFrame.FLAG_FIN)) {
      s.onRemoteFin();
    }
  }

  private YamuxStream accept(long id) throws YamuxException {
    if (closing || inboundStreams >= config.maxStreams()) {
      if (++consecutiveRefused > MAX_CONSECUTIVE_REFUSED) throw new YamuxException("peer keeps opening streams beyond the limit of " + config.maxStreams());
      LOG.debug("{} refusing stream {}: {} inbound streams open", this, id, inboundStreams);
      sendFrame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
      scheduleFlush();
      return null;
    }
    consecutiveRefused = 0;
    inboundStreams++;
    YamuxStream s = new YamuxStream(this, id, false);
    streams.put(id, s);
    sendFrame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, id, 0);
    scheduleFlush();
    StreamNegotiator.respond(s, p -> router != null && router.handler(p) != null, this::schedule, config.negotiationTimeoutMillis(), ctx.alloc())
        .whenComplete((n, e) -> {
          if (e != null) return; // the negotiator reset the stream
          ProtocolHandler handler = router.handler(n.protocol());
          s.negotiated(n.protocol(), n.leftover());
          if (handler == null) {
            s.reset();
            return;
          }
          try {
            handler.handle(s);
          } catch (RuntimeException ex) {
            LOG.warn("handler for {} threw on {}; resetting the stream", n.protocol(), this, ex);
            s.reset();
          }
        });
    return s;
  }

  // ---- used by streams (event loop) ----

  void removeStream(YamuxStream s) {
    if (streams.remove(s.id()) != null && !s.isInitiator()) inboundStreams--;
  }

  boolean isWritable() {
    return !terminated && ctx.channel().isWritable();
  }

  void sendFrame(int type, int flags, long streamId, long length) {
    if (terminated) return;
    ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    YamuxFrame.writeHeader(header, type, flags, streamId, length);
    ctx.write(header, ctx.voidPromise());
  }

  /** Writes a Data frame; takes ownership of {@code data}. */
  void sendData(long streamId, int flags, ByteBuf data) {
    if (terminated) {
      data.release();
      return;
    }
    ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    YamuxFrame.writeHeader(header, YamuxFrame.TYPE_DATA, flags, streamId, data.readableBytes());
    ctx.write(header, ctx.voidPromise());
    ctx.write(data, ctx.voidPromise());
  }

  void scheduleFlush() {
    if (flushScheduled || terminated) return;
    flushScheduled = true;
    loop.execute(() -> {
      flushScheduled = false;
      ctx.flush();
    });
  }

  /**
   * Counts bytes buffered for a stream of {@code protocol} without a handler; true if the
   * session's limit or one of the resource manager's buffer limits is exceeded (the caller resets
   * the stream, which returns the bytes through {@link #unbuffered}).
   */
  boolean buffered(String protocol, int n) {
    bufferedBytes += n;
    ResourceManager rm = resources;
    boolean withinManager = rm == null || rm.chargeBuffer(remotePeer, protocol, n);
    return bufferedBytes > config.maxBufferedPerSession() || !withinManager;
  }

  void unbuffered(String protocol, int n) {
    bufferedBytes -= n;
    ResourceManager rm = resources;
    if (rm != null) rm.unchargeBuffer(remotePeer, protocol, n);
  }

  /** Runs {@code task} on the event loop (now, if already there). */
  void runOnLoop(Runnable task) {
    runOnLoop(task, () -> {});
  }

  /** As {@link #runOnLoop(Runnable)}; {@code rejected} runs if the loop refuses the task (shut down). */
  void runOnLoop(Runnable task, Runnable rejected) {
    EventExecutor l = loop;
    if (l == null) {
      rejected.run();
    } else if (l.inEventLoop()) {
      task.run();
    } else {
      try {
        l.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        rejected.run();
      }
    }
  }

  private dev.weft.p2p.time.Cancellable schedule(long delayMillis, Runnable task) {
    var f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  private void protocolError(String reason) {
    if (failed) return;
    failed = true;
    LOG.debug("closing {}: protocol error: {}", this, reason);
    sendFrame(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(x -> ctx.close());
  }

  private void terminate() {
    if (terminated) return;
    terminated = true;
    for (YamuxStream s : List.copyOf(streams.values())) s.onSessionClosed();
    streams.clear();
    for (PendingPing p : pings.values()) p.future().completeExceptionally(new IllegalStateException("connection closed"));
    pings.clear();
    closeFuture.complete(null);
  }

  @Override public String toString() {
    return "yamux#" + connectionId + "(" + remotePeer + (initiator ? ", out" : ", in") + ")";
  }
}
