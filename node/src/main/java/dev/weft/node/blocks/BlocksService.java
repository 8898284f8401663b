package dev.weft.node.blocks;

import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import dev.weft.p2p.time.SystemScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /weft/blocks/1.0.0} on a host: serves blobs from a {@link ChunkSource} and downloads
 * blobs into a {@link BlobStore}, each download driven by a {@link DownloadScheduler}. One request
 * and one reply per stream (a stream is cheap on Yamux, and a stalled request then holds nothing
 * else up).
 *
 * <p>Threading: all state (schedulers, standings, rate limiter) is confined to the service's own
 * serial executor, which also does the hashing and the file I/O, so none of it runs on the host's
 * scheduler or a Netty event loop; stream callbacks only hop onto it. Close the service before the
 * host and before the store.
 *
 * <p>Installed through the host's service seam: the host closes it with itself, and every inbound
 * stream is also reserved in the host's {@link dev.weft.p2p.api.ResourceScope} (refused: BUSY).
 *
 * <p>Limits: inbound streams per peer (more are reset) and in all (more are answered BUSY), a
 * request must arrive within {@link BlocksConfig#inboundReadTimeoutMillis()} and be at most
 * {@link BlocksCodec#MAX_REQUEST_BYTES}; replies are paced by a token bucket
 * ({@link BlocksConfig#serveBytesPerSecond()}), with the chunk read only when its turn comes, so
 * waiting replies hold no chunk in memory; a reply we read is bounded by
 * {@link BlocksConfig#maxReplyBytes()} before a byte of it is buffered; downloads at once are
 * bounded by {@link BlocksConfig#maxConcurrentDownloads()}.
 */
public final class BlocksService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlocksService.class);

  private final Host host;
  private final dev.weft.p2p.api.ResourceScope resources;
  private final BlocksConfig config;
  private final ChunkSource source;
  private final BlobStore store;
  private final SystemScheduler executor;
  private final RateLimiter serveLimiter;
  private final PeerStandings standings = new PeerStandings();
  private final Map<PeerId, AtomicInteger> inboundPerPeer = new ConcurrentHashMap<>();
  private final AtomicInteger inboundTotal = new AtomicInteger();
  private final Map<BlobId, Download> downloads = new HashMap<>();
  private final AtomicLong bytesServed = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicLong requestsServed = new AtomicLong();
  private final AtomicLong streamsRefused = new AtomicLong();
  private volatile boolean closed;

  private BlocksService(Host host, dev.weft.p2p.api.ResourceScope resources, BlocksConfig config, BlobStore store, ChunkSource source) {
    this.host = host;
    this.resources = resources;
    this.config = config;
    this.store = store;
    this.source = source;
    this.executor = new SystemScheduler("weft-blocks-" + host.peerId().toBase58().substring(0, 8));
    this.serveLimiter = new RateLimiter(config.serveBytesPerSecond());
  }

  /**
   * Installs the protocol on {@code host} through its service seam, serving from and downloading
   * into {@code store}; the host closes the service when it closes (the store stays the caller's).
   */
  public static BlocksService install(Host host, BlocksConfig config, BlobStore store) {
    return install(host, config, store, store);
  }

  /** Same, serving from {@code source} (tests: a provider that lies). */
  public static BlocksService install(Host host, BlocksConfig config, BlobStore store, ChunkSource source) {
    return host.install(factory(config, store, source));
  }

  /** The service as a {@link dev.weft.p2p.api.ServiceFactory} ({@code HostBuilder.service(...)}). */
  public static dev.weft.p2p.api.ServiceFactory<BlocksService> factory(BlocksConfig config, BlobStore store, ChunkSource source) {
    return ctx -> {
      BlocksService s = new BlocksService(ctx.host(), ctx.resources(), config, store, source);
      ctx.host().setStreamHandler(BlocksCodec.PROTOCOL_ID, s::onStream);
      return s;
    };
  }

  public BlobStore store() {
    return store;
  }

  public BlocksConfig config() {
    return config;
  }

  /** The service's executor and clock. */
  public Scheduler executor() {
    return executor;
  }

  public long bytesServed() {
    return bytesServed.get();
  }

  public long bytesFetched() {
    return bytesFetched.get();
  }

  public long requestsServed() {
    return requestsServed.get();
  }

  /** Inbound streams reset or answered BUSY because of a limit. */
  public long streamsRefused() {
    return streamsRefused.get();
  }

  /** Whether {@code peer} is banned for misbehaving (read on the executor). */
  public CompletableFuture<Boolean> isBanned(PeerId peer) {
    return onExecutor(() -> standings.isBanned(peer, executor.nowMillis()));
  }

  private <T> CompletableFuture<T> onExecutor(java.util.function.Supplier<T> s) {
    CompletableFuture<T> f = new CompletableFuture<>();
    executor.execute(() -> {
      try {
        f.complete(s.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  // ---------------------------------------------------------------- serving

  private void onStream(Stream stream) {
    PeerId from = stream.remotePeer();
    AtomicInteger mine = inboundPerPeer.computeIfAbsent(from, p -> new AtomicInteger());
    if (mine.incrementAndGet() > config.maxInboundStreamsPerPeer()) {
      mine.decrementAndGet();
      streamsRefused.incrementAndGet();
      LOG.debug("resetting blocks stream from {}: {} open already", from, config.maxInboundStreamsPerPeer());
      stream.reset();
      return;
    }
    // The host-wide resource manager may refuse what our own limits allow (reserved until the stream closes).
    boolean granted = resources.reserveStream(from, BlocksCodec.PROTOCOL_ID);
    boolean overTotal = inboundTotal.incrementAndGet() > config.maxInboundStreamsTotal() || !granted;
    stream.closeFuture().whenComplete((v, e) -> {
      if (granted) resources.releaseStream(from, BlocksCodec.PROTOCOL_ID);
      inboundTotal.decrementAndGet();
      if (mine.decrementAndGet() == 0) inboundPerPeer.remove(from, mine);
    });
    if (overTotal || closed) {
      streamsRefused.incrementAndGet();
      stream.setHandler((s, d) -> { });
      reply(stream, new BlocksMessage.Busy());
      return;
    }
    LengthPrefixedReader reader = new LengthPrefixedReader(BlocksCodec.MAX_REQUEST_BYTES, config.inboundReadTimeoutMillis(), executor, stream);
    stream.setHandler(reader);
    reader.result().whenComplete((body, err) -> {
      if (err != null) {
        if (err instanceof ProtocolViolationException) executor.execute(() -> standings.malformed(from, executor.nowMillis()));
        return;
      }
      executor.execute(() -> serve(stream, from, body));
    });
  }

  private void serve(Stream stream, PeerId from, byte[] body) {
    long now = executor.nowMillis();
    if (standings.isBanned(from, now)) {
      stream.reset();
      return;
    }
    BlocksMessage.Request req;
    try {
      req = BlocksCodec.decodeRequest(body);
    } catch (BlocksDecodeException e) {
      standings.malformed(from, now);
      LOG.debug("malformed blocks request from {}: {}", from, e.getMessage());
      stream.reset();
      return;
    }
    requestsServed.incrementAndGet();
    switch (req) {
      case BlocksMessage.GetManifest g -> {
        byte[] m = source.manifestBytes(g.blob());
        if (m == null) reply(stream, new BlocksMessage.NotFound());
        else paced(stream, m.length, () -> new BlocksMessage.Manifest(m));
      }
      case BlocksMessage.GetChunk g -> {
        byte[] m = source.manifestBytes(g.blob());
        if (m == null) {
          reply(stream, new BlocksMessage.NotFound());
          return;
        }
        int length;
        try {
          BlobManifest man = BlobManifest.decode(m, config);
          if (g.index() >= man.chunkCount()) {
            reply(stream, new BlocksMessage.NotFound());
            return;
          }
          length = man.chunkLength(g.index());
        } catch (BlocksDecodeException e) {
          reply(stream, new BlocksMessage.NotFound());
          return;
        }
        paced(stream, length, () -> {
          byte[] c = source.chunk(g.blob(), g.index());
          return c == null ? new BlocksMessage.NotFound() : new BlocksMessage.Chunk(g.index(), c);
        });
      }
    }
  }

  /** Replies once the rate limit allows {@code bytes}; the reply is made (the chunk read) only then. */
  private void paced(Stream stream, long bytes, java.util.function.Supplier<BlocksMessage.Reply> make) {
    long delay = serveLimiter.reserve(bytes, executor.nowMillis());
    if (delay == 0) reply(stream, make.get());
    else executor.schedule(delay, () -> reply(stream, make.get()));
  }

  private void reply(Stream stream, BlocksMessage.Reply r) {
    byte[] body = BlocksCodec.encode(r);
    if (r instanceof BlocksMessage.Chunk || r instanceof BlocksMessage.Manifest) bytesServed.addAndGet(body.length);
    stream.write(frame(body)).whenComplete((v, e) -> {
      if (e != null) stream.reset();
      else stream.closeWrite();
    });
  }

  static ByteBuf frame(byte[] body) {
    return Unpooled.wrappedBuffer(Varint.encode(body.length), body);
  }

  // ---------------------------------------------------------------- downloading

  /**
   * Downloads {@code blob} into the store from {@code providers} (more can be added with
   * {@link Download#addProviders}), resuming from what the store holds. Completes with the result,
   * or fails with {@link DownloadFailedException} (no usable provider, over a limit, store error).
   * A second call for a blob being downloaded joins the first.
   */
  public Download fetch(BlobId blob, Collection<PeerId> providers) {
    Download d = new Download(blob);
    executor.execute(() -> {
      Download running = downloads.get(blob);
      if (running != null) {
        running.addProviders(providers);
        running.future.whenComplete((r, e) -> {
          if (e != null) d.future.completeExceptionally(e);
          else d.future.complete(r);
        });
        return;
      }
      if (downloads.size() >= config.maxConcurrentDownloads()) {
        d.future.completeExceptionally(new DownloadFailedException("already " + downloads.size() + " downloads at once (the limit)", List.of()));
        return;
      }
      d.start(providers);
    });
    return d;
  }

  /** One download in progress. */
  public final class Download {
    private final BlobId blob;
    private final CompletableFuture<DownloadResult> future = new CompletableFuture<>();
    private DownloadScheduler machine;
    private Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private int resumed;
    private int fetched;
    private boolean begun;
    private long startedAt;

    Download(BlobId blob) {
      this.blob = blob;
    }

    public BlobId blob() {
      return blob;
    }

    public CompletableFuture<DownloadResult> result() {
      return future;
    }

    /** Adds providers (found later in the DHT, or newly connected); ignored once finished. */
    public void addProviders(Collection<PeerId> peers) {
      executor.execute(() -> {
        if (machine == null || future.isDone()) return;
        long now = executor.nowMillis();
        for (PeerId p : peers) if (!p.equals(host.peerId()) && !standings.isBanned(p, now)) machine.addProvider(p);
        pump();
      });
    }

    /** Chunks verified so far; read on the executor. */
    public CompletableFuture<Integer> chunksHeld() {
      return onExecutor(() -> machine == null ? 0 : machine.chunksHeld());
    }

    private void start(Collection<PeerId> providers) {
      startedAt = executor.nowMillis();
      Optional<BlobStore.Resume> r;
      try {
        r = store.resume(blob);
      } catch (BlobStoreException e) {
        future.completeExceptionally(new DownloadFailedException(e.getMessage(), List.of()));
        return;
      }
      if (r.isPresent()) {
        resumed = r.get().held().cardinality();
        begun = true;
        machine = new DownloadScheduler(blob, config, r.get().manifest(), r.get().held());
      } else {
        machine = new DownloadScheduler(blob, config, null, null);
      }
      downloads.put(blob, this);
      long now = executor.nowMillis();
      for (PeerId p : providers) if (!p.equals(host.peerId()) && !standings.isBanned(p, now)) machine.addProvider(p);
      pump();
    }

    private void pump() {
      if (future.isDone()) return;
      while (true) {
        long now = executor.nowMillis();
        DownloadAction a = machine.next(now);
        switch (a) {
          case DownloadAction.FetchManifest f -> request(f.provider(), -1, new BlocksMessage.GetManifest(blob));
          case DownloadAction.FetchChunk f -> request(f.provider(), f.index(), new BlocksMessage.GetChunk(blob, f.index()));
          case DownloadAction.Wait w -> {
            arm(w.untilMillis(), now);
            return;
          }
          case DownloadAction.Done d -> {
            finish(null);
            return;
          }
          case DownloadAction.Failed f -> {
            finish(f.reason());
            return;
          }
        }
      }
    }

    private void arm(long until, long now) {
      if (timer != null && timerAt <= until) return;
      if (timer != null) timer.cancel();
      timerAt = until;
      timer = executor.schedule(Math.max(1, until - now), () -> {
        timer = null;
        timerAt = Long.MAX_VALUE;
        pump();
      });
    }

    private void request(PeerId peer, int index, BlocksMessage.Request req) {
      host.newStream(peer, List.of(BlocksCodec.PROTOCOL_ID)).whenComplete((stream, err) -> {
        if (err != null) {
          executor.execute(() -> onError(peer, index, describe(err), false));
          return;
        }
        LengthPrefixedReader reader = new LengthPrefixedReader(config.maxReplyBytes(), config.requestTimeoutMillis(), executor, stream);
        stream.setHandler(reader);
        stream.write(frame(BlocksCodec.encode(req))).thenRun(stream::closeWrite);
        reader.result().whenComplete((body, e) -> executor.execute(() -> {
          if (e != null) {
            // A reader timeout is the scheduler's deadline too: it counts the stall itself.
            if (!(e instanceof TimeoutException)) onError(peer, index, describe(e), e instanceof ProtocolViolationException);
            return;
          }
          onBody(peer, index, body);
        }));
      });
    }

    private void onBody(PeerId peer, int index, byte[] body) {
      if (future.isDone()) return;
      BlocksMessage.Reply reply;
      try {
        reply = BlocksCodec.decodeReply(body, config);
      } catch (BlocksDecodeException e) {
        onError(peer, index, e.getMessage(), true);
        return;
      }
      long now = executor.nowMillis();
      DownloadScheduler.Verdict v = machine.onReply(peer, index, reply, now);
      if (machine.manifest() != null && !begun) {
        begun = true;
        try {
          store.begin(machine.manifest());
        } catch (BlobStoreException e) {
          finish(e.getMessage());
          return;
        }
      }
      if (v == DownloadScheduler.Verdict.STORE && reply instanceof BlocksMessage.Chunk c) {
        try {
          store.writeChunk(blob, c.index(), c.data());
        } catch (BlobStoreException e) {
          finish(e.getMessage());
          return;
        }
        fetched++;
        bytesFetched.addAndGet(c.data().length);
      }
      pump();
    }

    private void onError(PeerId peer, int index, String reason, boolean malformed) {
      if (future.isDone()) return;
      machine.onError(peer, index, reason, malformed, executor.nowMillis());
      pump();
    }

    private void finish(String failure) {
      if (timer != null) timer.cancel();
      downloads.remove(blob, this);
      long now = executor.nowMillis();
      List<DownloadScheduler.ProviderReport> reports = machine.providers();
      for (DownloadScheduler.ProviderReport r : reports) standings.record(r, now);
      if (failure != null) {
        future.completeExceptionally(new DownloadFailedException(failure, reports));
        return;
      }
      future.complete(new DownloadResult(machine.manifest(), fetched, resumed, machine.corruptChunks(), reports, now - startedAt));
    }

    private void abort(String why) {
      if (!future.isDone()) finish(why);
    }
  }

  private static String describe(Throwable e) {
    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /** Stops serving and fails downloads in progress; does not close the store or the host. */
  @Override public void close() {
    if (closed) return;
    closed = true;
    host.removeStreamHandler(BlocksCodec.PROTOCOL_ID);
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(() -> {
      for (Download d : new ArrayList<>(downloads.values())) d.abort("the block service closed");
      done.complete(null);
    });
    try {
      done.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("blocks service close: {}", e.toString());
    }
    executor.close();
  }
}
