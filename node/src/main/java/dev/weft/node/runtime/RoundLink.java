package dev.weft.node.runtime;

import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.time.Cancellable;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * {@value #PROTOCOL}: the round protocol's point-to-point messages, one signed frame per stream. The
 * sender opens a stream, writes a big-endian int32 length and the frame, and half-closes; the
 * receiver hands the frame to {@code inbound} with the stream's authenticated peer, and closes.
 *
 * <p>Why not gossip: {@code RoundMachine} addresses its messages (votes to voters, a sync answer to
 * the one peer that asked, a certificate to the non-voters), and every frame is signed by its
 * author, so flooding would only multiply bytes. Why one stream per frame: a Yamux stream costs a
 * header, and a stalled peer then holds up nothing but its own frame.
 *
 * <p>Limits: a frame over {@link Limits#maxFrameBytes} is refused from its length, before a byte
 * of it is buffered; a stream not finished within {@link Limits#readTimeoutMillis} is reset; at most
 * {@link Limits#maxInboundPerPeer} streams per peer and {@link Limits#maxInboundTotal} in all are
 * read at once (more are reset). Frames are decoded and verified by the caller.
 *
 * <p>ByteBuf ownership: written buffers pass to the stream; received ones are borrowed and copied
 * within the callback.
 */
public final class RoundLink {
  public static final String PROTOCOL = "/weft/round/1.0.0";

  /**
   * @param maxFrameBytes largest frame read (the round codec's message limit)
   * @param readTimeoutMillis a stream (either side) not done within this is reset
   * @param maxInboundPerPeer streams read at once from one peer
   * @param maxInboundTotal streams read at once in all
   */
  public record Limits(int maxFrameBytes, long readTimeoutMillis, int maxInboundPerPeer, int maxInboundTotal) {
    public Limits {
      if (maxFrameBytes < 64 || maxFrameBytes > 64 << 20) throw new IllegalArgumentException("maxFrameBytes must be in [64, 64 MiB]");
      if (readTimeoutMillis < 1) throw new IllegalArgumentException("readTimeoutMillis must be positive");
      if (maxInboundPerPeer < 1 || maxInboundTotal < maxInboundPerPeer) throw new IllegalArgumentException("need 1 <= maxInboundPerPeer <= maxInboundTotal");
    }

    public static Limits defaults(int maxFrameBytes) {
      return new Limits(maxFrameBytes, 10_000, 64, 1024);
    }
  }

  private final Host host;
  private final Scheduler scheduler;
  private final Limits limits;
  private final BiConsumer<PeerId, byte[]> inbound;
  private final Map<PeerId, AtomicInteger> perPeer = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicLong bytesOut = new AtomicLong(), bytesIn = new AtomicLong(), refused = new AtomicLong(), sendFailures = new AtomicLong();

  /** @param inbound called on a stream thread with each complete frame; must not block */
  public RoundLink(Host host, Scheduler scheduler, Limits limits, BiConsumer<PeerId, byte[]> inbound) {
    this.host = host;
    this.scheduler = scheduler;
    this.limits = limits;
    this.inbound = inbound;
  }

  public void install() {
    host.setStreamHandler(PROTOCOL, this::onInbound);
  }

  /** Sends one frame to {@code peer}; failures (no connection, reset) are counted and otherwise dropped: the machine retransmits what matters. */
  public void send(PeerId peer, byte[] frame) {
    if (frame.length > limits.maxFrameBytes()) throw new IllegalArgumentException("frame of " + frame.length + " bytes over the limit " + limits.maxFrameBytes());
    host.newStream(peer, List.of(PROTOCOL)).whenComplete((s, err) -> {
      if (err != null) {
        sendFailures.incrementAndGet();
        return;
      }
      Cancellable t = scheduler.schedule(limits.readTimeoutMillis(), s::reset);
      s.closeFuture().whenComplete((v, e) -> t.cancel());
      s.setHandler((stream, data) -> {
        // the receiver sends nothing; anything it does send is ignored
      });
      ByteBuf out = Unpooled.buffer(4 + frame.length).writeInt(frame.length).writeBytes(frame);
      s.write(out).thenCompose(v -> s.closeWrite()).whenComplete((v, e) -> {
        if (e != null) {
          sendFailures.incrementAndGet();
          s.reset();
        } else {
          bytesOut.addAndGet(frame.length);
        }
      });
    });
  }

  private void onInbound(Stream s) {
    PeerId from = s.remotePeer();
    AtomicInteger mine = perPeer.computeIfAbsent(from, k -> new AtomicInteger());
    // Both counters are taken (a non-short-circuit |) so the refusal below gives both back.
    if (total.incrementAndGet() > limits.maxInboundTotal() | mine.incrementAndGet() > limits.maxInboundPerPeer()) {
      total.decrementAndGet();
      mine.decrementAndGet();
      refused.incrementAndGet();
      s.reset();
      return;
    }
    Cancellable t = scheduler.schedule(limits.readTimeoutMillis(), s::reset);
    s.closeFuture().whenComplete((v, e) -> {
      t.cancel();
      total.decrementAndGet();
      if (mine.decrementAndGet() == 0) perPeer.remove(from, mine);
    });
    s.setHandler(new Reader());
  }

  /** Reads one length-prefixed frame; runs on the stream's thread. */
  private final class Reader implements StreamHandler {
    private final byte[] head = new byte[4];
    private int headRead;
    private byte[] body;
    private int bodyRead;
    private boolean done;

    @Override public void onData(Stream stream, ByteBuf data) {
      while (data.isReadable() && !done) {
        if (body == null) {
          int n = Math.min(head.length - headRead, data.readableBytes());
          data.readBytes(head, headRead, n);
          headRead += n;
          if (headRead < head.length) return;
          int len = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
          if (len < 1 || len > limits.maxFrameBytes()) {
            done = true;
            refused.incrementAndGet();
            stream.reset();
            return;
          }
          body = new byte[len];
        }
        int n = Math.min(body.length - bodyRead, data.readableBytes());
        data.readBytes(body, bodyRead, n);
        bodyRead += n;
        if (bodyRead == body.length) {
          done = true;
          if (data.isReadable()) {
            refused.incrementAndGet();
            stream.reset();
            return;
          }
          bytesIn.addAndGet(body.length);
          inbound.accept(stream.remotePeer(), body);
          stream.closeWrite().exceptionally(e -> null);
        }
      }
    }

    @Override public void onRemoteClosed(Stream stream) {
      if (!done) {
        done = true;
        stream.reset();
      }
    }
  }

  public long bytesOut() {
    return bytesOut.get();
  }

  public long bytesIn() {
    return bytesIn.get();
  }

  /** Streams refused for a limit or a malformed length. */
  public long refused() {
    return refused.get();
  }

  public long sendFailures() {
    return sendFailures.get();
  }
}
