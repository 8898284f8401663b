package dev.weft.p2p.pubsub.gossipsub;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.pubsub.MalformedRpcException;
import dev.weft.p2p.pubsub.MessageIdFunction;
import dev.weft.p2p.pubsub.MessageSigner;
import dev.weft.p2p.pubsub.Rpc;
import dev.weft.p2p.pubsub.RpcCodec;
import dev.weft.p2p.pubsub.RpcFrameDecoder;
import dev.weft.p2p.pubsub.TopicValidator;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GossipsubRouter} on a {@link Host} (pubsub README "Stream management"): registers
 * {@code /meshsub/1.2.0}, {@code 1.1.0}, {@code 1.0.0} and {@code /floodsub/1.0.0}, opens one
 * outbound stream per connected peer that speaks one of them (used only to write), and reads
 * inbound streams (used only to read) as uvarint-length-prefixed RPCs, bounded by the RPC limit.
 *
 * <p>Threading: the router and all state here live on {@code scheduler}, which must be serial.
 * Stream and host callbacks only copy bytes and enqueue. The public methods may be called from any
 * thread; they return futures completed on the scheduler thread.
 */
public final class GossipsubService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipsubService.class);
  /** Time to open and negotiate our outbound stream to a peer. */
  public static final long STREAM_OPEN_TIMEOUT_MILLIS = 10_000;
  /** A frame started but not finished within this resets the inbound stream (slowloris guard). */
  public static final long PARTIAL_FRAME_TIMEOUT_MILLIS = 30_000;
  /** Bytes written to one peer and not yet accepted by its stream; beyond it RPCs to the peer are dropped. */
  public static final long MAX_PENDING_WRITE_BYTES = 16L << 20;
  /** Bytes received from one peer and not yet processed by the router; beyond it frames are dropped (overload, not blame). */
  public static final long MAX_QUEUED_READ_BYTES = 8L << 20;
  /**
   * What each queued frame costs against {@link #MAX_QUEUED_READ_BYTES} on top of its bytes: the
   * task, closure and array headers. Without it a stream of zero bytes (each one an empty frame)
   * queued one task per byte received and never touched the budget.
   */
  static final int QUEUED_FRAME_OVERHEAD_BYTES = 128;
  /** How often connections to explicit peers are checked and re-dialled (gossipsub v1.1 recommends 5 minutes). */
  public static final long DIRECT_CONNECT_CHECK_MILLIS = 300_000;

  private final Host host;
  private final Scheduler scheduler;
  private final GossipsubRouter router;
  private final Map<PeerId, OutboundStream> outbound = new HashMap<>();
  private final Set<PeerId> opening = new HashSet<>();
  private final Map<PeerId, Multiaddr> directPeers = new HashMap<>();
  /**
   * The one inbound stream we read per peer (pubsub README: one stream per direction). A newer
   * stream replaces and resets the older one, as go does: each reader may buffer a whole
   * {@code maxRpcBytes} frame, so without this one peer could pin hundreds of frames' worth of
   * memory by opening streams that announce a large frame and never send it. Touched on stream
   * threads, hence concurrent.
   */
  private final Map<PeerId, Stream> inboundStreams = new ConcurrentHashMap<>();
  private Cancellable directCheck;
  private AutoCloseable eventSubscription;
  private volatile boolean closed;

  private static final class OutboundStream {
    final Stream stream;
    final AtomicLong pendingBytes = new AtomicLong();

    OutboundStream(Stream stream) {
      this.stream = stream;
    }
  }

  public GossipsubService(Host host, Scheduler scheduler, Random random, GossipsubConfig config, PeerScoreParams scoreParams,
      PeerScoreThresholds thresholds, MessageListener listener) {
    this.host = host;
    this.scheduler = scheduler;
    this.router = new GossipsubRouter(config, scoreParams, thresholds, host.privateKey(), new MessageSigner(),
        MessageIdFunction.FROM_AND_SEQNO, scheduler, random, new GossipsubOutbound() {
          @Override public void send(PeerId peer, Rpc rpc) {
            GossipsubService.this.send(peer, rpc);
          }

          @Override public void connect(PeerId peer, byte[] signedPeerRecord) {
            host.connect(peer).exceptionally(err -> null);
          }
        }, listener);
  }

  /**
   * Gossipsub as a host service, started at once, on the host's scheduler and randomness; the
   * host closes it.
   */
  public static ServiceFactory<GossipsubService> factory(GossipsubConfig config, PeerScoreParams scoreParams,
      PeerScoreThresholds thresholds, MessageListener listener) {
    return context -> {
      GossipsubService s = new GossipsubService(context.host(), context.scheduler(), context.random(), config, scoreParams,
          thresholds, listener);
      s.start();
      return s;
    };
  }

  /** Registers the protocols, follows connections, starts the heartbeat. */
  public void start() {
    for (String id : GossipsubProtocol.ids()) host.setStreamHandler(id, this::onInboundStream);
    eventSubscription = host.subscribe(this::onHostEvent);
    scheduler.execute(() -> {
      router.start();
      for (Connection c : host.connections()) openOutbound(c);
    });
  }

  public CompletableFuture<Void> subscribe(String topic) {
    return call(() -> {
      router.subscribe(topic);
      return null;
    });
  }

  public CompletableFuture<Void> unsubscribe(String topic) {
    return call(() -> {
      router.unsubscribe(topic);
      return null;
    });
  }

  public CompletableFuture<GossipsubRouter.Published> publish(String topic, byte[] data) {
    return call(() -> router.publish(topic, data.clone()));
  }

  public CompletableFuture<Void> setValidator(String topic, TopicValidator validator) {
    return call(() -> {
      router.setValidator(topic, validator);
      return null;
    });
  }

  /** Per-topic message ids: see {@link GossipsubRouter#setMessageIdFunction}. */
  public CompletableFuture<Void> setMessageIdFunction(String topic, MessageIdFunction function) {
    return call(() -> {
      router.setMessageIdFunction(topic, function);
      return null;
    });
  }

  public CompletableFuture<Set<PeerId>> mesh(String topic) {
    return call(() -> router.mesh(topic));
  }

  public CompletableFuture<Set<PeerId>> topicPeers(String topic) {
    return call(() -> router.topicPeers(topic));
  }

  public CompletableFuture<Double> score(PeerId peer) {
    return call(() -> router.score(peer));
  }

  /**
   * Adds an explicit peering agreement (gossipsub v1.1 "Explicit Peering Agreements"): the peer at
   * {@code address} (which must end in /p2p/) gets every message of our topics outside the mesh,
   * is never graylisted, and is dialled now and re-dialled every 5 minutes when disconnected.
   */
  public CompletableFuture<Void> addDirectPeer(Multiaddr address) {
    PeerId peer = address.peerId().orElseThrow(() -> new IllegalArgumentException("direct peer address needs /p2p/: " + address));
    return call(() -> {
      directPeers.put(peer, address);
      router.addDirectPeer(peer);
      if (directCheck == null) directCheck = scheduler.scheduleAtFixedRate(DIRECT_CONNECT_CHECK_MILLIS, DIRECT_CONNECT_CHECK_MILLIS, this::dialDirectPeers);
      dialDirect(peer, address);
      return null;
    });
  }

  private void dialDirectPeers() {
    for (Map.Entry<PeerId, Multiaddr> e : directPeers.entrySet()) dialDirect(e.getKey(), e.getValue());
  }

  private void dialDirect(PeerId peer, Multiaddr address) {
    if (closed || !host.connections(peer).isEmpty()) return;
    host.dial(address).whenComplete((c, err) -> {
      if (err != null) LOG.debug("direct peer {} unreachable: {}", peer, err.toString());
    });
  }

  /** The router; touch it only on the scheduler thread. */
  public GossipsubRouter router() {
    return router;
  }

  /** Runs {@code body} on the scheduler thread (where the router may be touched). */
  public <T> CompletableFuture<T> call(Supplier<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        f.complete(body.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  // ---------------------------------------------------------------- connections and streams

  private void onHostEvent(HostEvent e) {
    switch (e) {
      case HostEvent.PeerConnected c -> scheduler.execute(() -> openOutbound(c.connection()));
      case HostEvent.PeerDisconnected d -> scheduler.execute(() -> {
        PeerId p = d.connection().remotePeer();
        if (host.connections(p).isEmpty()) dropPeer(p, null);
      });
      default -> { }
    }
  }

  /** On the scheduler: opens our write stream to the peer of {@code conn} unless we have one. */
  private void openOutbound(Connection conn) {
    PeerId peer = conn.remotePeer();
    if (closed || outbound.containsKey(peer) || !opening.add(peer)) return;
    boolean[] timedOut = new boolean[1];
    Cancellable timeout = scheduler.schedule(STREAM_OPEN_TIMEOUT_MILLIS, () -> {
      timedOut[0] = true;
      opening.remove(peer);
      LOG.debug("no pubsub stream to {} within {} ms", peer, STREAM_OPEN_TIMEOUT_MILLIS);
    });
    conn.newStream(GossipsubProtocol.ids()).whenComplete((s, err) -> scheduler.execute(() -> {
      timeout.cancel();
      if (err != null) {
        if (!timedOut[0]) opening.remove(peer);
        LOG.debug("no pubsub stream to {}: {}", peer, err.toString());
        return;
      }
      if (timedOut[0] || closed || outbound.containsKey(peer)) {
        s.reset();
        return;
      }
      opening.remove(peer);
      outbound.put(peer, new OutboundStream(s));
      s.setHandler(new StreamHandler() {
        @Override public void onData(Stream stream, ByteBuf data) {
          // Our outbound stream is write-only; whatever comes back is ignored.
        }

        @Override public void onClosed(Stream stream, Throwable cause) {
          scheduler.execute(() -> dropPeer(peer, stream));
        }
      });
      router.addPeer(peer, GossipsubProtocol.fromId(s.protocol()), conn.isInitiator(), ipOf(conn.remoteAddress()));
    }));
  }

  /** On the scheduler: forgets the peer (only if {@code stream} is still its stream, when given). */
  private void dropPeer(PeerId peer, Stream stream) {
    OutboundStream os = outbound.get(peer);
    if (stream != null && (os == null || os.stream != stream)) return;
    outbound.remove(peer);
    if (os != null) os.stream.reset();
    router.removePeer(peer);
  }

  private void onInboundStream(Stream stream) {
    if (closed) {
      stream.reset();
      return;
    }
    PeerId peer = stream.remotePeer();
    stream.setHandler(new InboundReader(peer));
    Stream previous = inboundStreams.put(peer, stream);
    stream.closeFuture().whenComplete((v, e) -> inboundStreams.remove(peer, stream));
    if (previous != null && previous != stream) {
      LOG.debug("second inbound pubsub stream from {}: resetting the older one", peer);
      previous.reset();
    }
    // A peer that opened a stream to us may have connected before we saw the connection event.
    Connection c = stream.connection();
    scheduler.execute(() -> openOutbound(c));
  }

  /** Reads RPC frames from one inbound stream on its connection thread and hands them to the router. */
  private final class InboundReader implements StreamHandler {
    private final PeerId peer;
    private final RpcFrameDecoder decoder = new RpcFrameDecoder(router.config.limits().maxRpcBytes());
    private final AtomicLong queued = new AtomicLong();
    private Cancellable partialTimer;
    // Written on the stream thread, read by the timer on the scheduler thread.
    private volatile long framesCompleted;
    private volatile boolean partial;

    InboundReader(PeerId peer) {
      this.peer = peer;
    }

    @Override public void onData(Stream stream, ByteBuf data) {
      List<byte[]> frames;
      try {
        frames = decoder.feed(data);
      } catch (MalformedRpcException e) {
        stream.reset();
        scheduler.execute(() -> router.reportMalformed(peer, e.getMessage()));
        return;
      }
      framesCompleted += frames.size();
      partial = decoder.hasPartialFrame();
      for (byte[] f : frames) {
        long cost = (long) f.length + QUEUED_FRAME_OVERHEAD_BYTES;
        if (queued.addAndGet(cost) > MAX_QUEUED_READ_BYTES) {
          queued.addAndGet(-cost);
          LOG.debug("router busy: dropping an RPC of {} bytes from {}", f.length, peer);
          continue;
        }
        scheduler.execute(() -> {
          queued.addAndGet(-cost);
          router.handleRpcBytes(peer, f);
        });
      }
      armPartialTimer(stream, !frames.isEmpty());
    }

    /** Gives every frame {@link #PARTIAL_FRAME_TIMEOUT_MILLIS} from its first byte to its last. */
    private void armPartialTimer(Stream stream, boolean completedSome) {
      if (partialTimer != null && (completedSome || !partial)) {
        partialTimer.cancel();
        partialTimer = null;
      }
      if (!partial || partialTimer != null) return;
      long mark = framesCompleted;
      partialTimer = scheduler.schedule(PARTIAL_FRAME_TIMEOUT_MILLIS, () -> {
        if (framesCompleted == mark && partial) {
          LOG.debug("resetting pubsub stream from {}: frame unfinished after {} ms", peer, PARTIAL_FRAME_TIMEOUT_MILLIS);
          stream.reset();
        }
      });
    }

    @Override public void onClosed(Stream stream, Throwable cause) {
      if (partialTimer != null) partialTimer.cancel();
    }
  }

  /** On the scheduler: writes one RPC to the peer's outbound stream, dropping it if the peer is too far behind. */
  private void send(PeerId peer, Rpc rpc) {
    OutboundStream os = outbound.get(peer);
    if (os == null) return;
    byte[] bytes = RpcFrameDecoder.frame(RpcCodec.encode(rpc));
    if (os.pendingBytes.addAndGet(bytes.length) > MAX_PENDING_WRITE_BYTES) {
      os.pendingBytes.addAndGet(-bytes.length);
      LOG.debug("peer {} is not reading: dropping an RPC of {} bytes", peer, bytes.length);
      return;
    }
    os.stream.write(Unpooled.wrappedBuffer(bytes)).whenComplete((v, err) -> {
      os.pendingBytes.addAndGet(-bytes.length);
      if (err != null) scheduler.execute(() -> dropPeer(peer, os.stream));
    });
  }

  static String ipOf(Multiaddr address) {
    if (address == null) return null;
    return address.valueOf(Protocol.IP4).or(() -> address.valueOf(Protocol.IP6)).orElse(null);
  }

  @Override public void close() {
    closed = true;
    for (String id : GossipsubProtocol.ids()) host.removeStreamHandler(id);
    if (eventSubscription != null) {
      try {
        eventSubscription.close();
      } catch (Exception e) {
        LOG.debug("closing host subscription", e);
      }
    }
    scheduler.execute(() -> {
      if (directCheck != null) directCheck.cancel();
      router.stop();
      for (PeerId p : List.copyOf(outbound.keySet())) dropPeer(p, null);
    });
  }
}
