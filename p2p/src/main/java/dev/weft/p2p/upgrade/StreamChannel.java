package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.api.StreamHandler;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.yamux.YamuxSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A Netty channel over an api {@link Stream}: what it writes goes out as the stream's data, what
 * the stream receives comes in as the channel's reads. With it the {@link UpgradePipeline} runs
 * inside a stream of another connection — a stream inside a stream, as circuit relay v2 needs:
 * the relayed connection is secured and multiplexed end to end, the relay sees only ciphertext.
 *
 * <p>Threading: the channel lives on its own {@link DefaultEventLoop} (not the outer
 * connection's), so the inner connection's work never runs on, or blocks, the outer one; stream
 * events hop onto it. In a simulation it lives on a {@link SchedulerEventLoop}, the simulation's
 * own scheduler. Ownership: inbound buffers are retained from the stream's borrowed ones and
 * handed to the pipeline, which releases them; each written buffer is handed to
 * {@link Stream#write}, which releases it. Closing the channel half-closes the stream; the stream
 * ending (either way) closes the channel.
 */
public final class StreamChannel extends AbstractChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false);

  private final Stream stream;
  private final ChannelConfig config = new DefaultChannelConfig(this);
  private final SocketAddress local;
  private final SocketAddress remote;
  private volatile boolean open = true;

  /** A {@link SocketAddress} naming a multiaddr, for logs. */
  public static final class MultiaddrAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final String address;

    MultiaddrAddress(Multiaddr address) {
      this.address = address.toString();
    }

    @Override public String toString() {
      return address;
    }
  }

  public StreamChannel(Stream stream, Multiaddr localAddress, Multiaddr remoteAddress) {
    super(null);
    this.stream = stream;
    this.local = new MultiaddrAddress(localAddress);
    this.remote = new MultiaddrAddress(remoteAddress);
  }

  /**
   * Upgrades {@code outer} to a connection with {@code pipeline}, on {@code loop}: the relay
   * case. The inner connection's addresses are the outer ones with {@code /p2p-circuit} appended.
   * It is accounted to the outer connection's resource manager ({@link #managerOf}), so the
   * buffer limits per peer and per protocol hold inside as they do on a TCP connection.
   *
   * @param initiator whether we start the inner upgrade (independent of who opened the stream)
   * @param expectedPeer the identity the remote end must prove, or null (inbound)
   */
  public static CompletableFuture<Connection> upgrade(Stream outer, boolean initiator, PeerId expectedPeer, StreamRouter router,
      UpgradePipeline pipeline, EventLoop loop, NanoClock clock) {
    return upgrade(outer, null, initiator, expectedPeer, router, pipeline, loop, clock);
  }

  /**
   * As {@link #upgrade(Stream, boolean, PeerId, StreamRouter, UpgradePipeline, EventLoop, NanoClock)},
   * for a stream whose first bytes a protocol header before the connection already consumed: the
   * channel reads {@code prefix} first (owned by the channel from here on; null if none), then
   * what the stream delivers. The caller must have detached its handler ({@code setHandler(null)})
   * so that the stream buffers meanwhile.
   */
  public static CompletableFuture<Connection> upgrade(Stream outer, ByteBuf prefix, boolean initiator, PeerId expectedPeer,
      StreamRouter router, UpgradePipeline pipeline, EventLoop loop, NanoClock clock) {
    return upgrade(outer, prefix, initiator, expectedPeer, router, pipeline, loop, clock, managerOf(outer.connection()));
  }

  /**
   * The resource manager a connection's muxer charges (a host's, for every connection its TCP
   * transport made), or null: what a connection inside one of its streams is accounted to.
   */
  public static ResourceManager managerOf(Connection c) {
    return c instanceof YamuxSession y ? y.resources() : null;
  }

  /**
   * As {@link #upgrade(Stream, ByteBuf, boolean, PeerId, StreamRouter, UpgradePipeline, EventLoop, NanoClock)},
   * accounted to {@code resources} (null: to none).
   */
  public static CompletableFuture<Connection> upgrade(Stream outer, ByteBuf prefix, boolean initiator, PeerId expectedPeer,
      StreamRouter router, UpgradePipeline pipeline, EventLoop loop, NanoClock clock, ResourceManager resources) {
    Connection c = outer.connection();
    Multiaddr localAddr = Multiaddr.parse(c.localAddress() + "/p2p-circuit");
    Multiaddr remoteAddr = Multiaddr.parse(c.remoteAddress().withPeerId(c.remotePeer()) + "/p2p-circuit");
    StreamChannel ch = new StreamChannel(outer, localAddr, remoteAddr);
    CompletableFuture<Connection> result = new CompletableFuture<>();
    loop.register(ch).addListener(f -> {
      if (!f.isSuccess()) {
        if (prefix != null) prefix.release();
        outer.reset();
        result.completeExceptionally(f.cause());
        return;
      }
      pipeline.upgrade(ch, initiator, expectedPeer, router, () -> localAddr, () -> remoteAddr, clock, resources).whenComplete((conn, e) -> {
        if (e != null) result.completeExceptionally(e);
        else result.complete(conn);
      });
      if (prefix != null) {
        if (prefix.isReadable() && ch.open) {
          ch.pipeline().fireChannelRead(prefix);
          ch.pipeline().fireChannelReadComplete();
        } else {
          prefix.release();
        }
      }
      ch.relayStream();
    });
    return result;
  }

  /** Starts delivering the stream's events into the pipeline (call once, after registration). */
  void relayStream() {
    stream.setHandler(new StreamHandler() {
      @Override public void onData(Stream s, ByteBuf data) {
        ByteBuf mine = data.retain();
        onLoop(() -> {
          if (!open) {
            mine.release();
            return;
          }
          pipeline().fireChannelRead(mine);
          pipeline().fireChannelReadComplete();
        }, mine);
      }

      @Override public void onRemoteClosed(Stream s) {
        onLoop(() -> close(), null);
      }

      @Override public void onClosed(Stream s, Throwable cause) {
        onLoop(() -> close(), null);
      }
    });
  }

  private void onLoop(Runnable task, ByteBuf orphan) {
    try {
      eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      if (orphan != null) orphan.release();
      stream.reset();
    }
  }

  public Stream stream() {
    return stream;
  }

  @Override public ChannelConfig config() {
    return config;
  }

  @Override public boolean isOpen() {
    return open;
  }

  @Override public boolean isActive() {
    return open;
  }

  @Override public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override protected AbstractUnsafe newUnsafe() {
    return new AbstractUnsafe() {
      @Override public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        promise.setFailure(new UnsupportedOperationException("a stream channel is connected from the start"));
      }
    };
  }

  @Override protected boolean isCompatible(EventLoop loop) {
    return loop instanceof DefaultEventLoop || loop instanceof SchedulerEventLoop;
  }

  @Override protected SocketAddress localAddress0() {
    return local;
  }

  @Override protected SocketAddress remoteAddress0() {
    return remote;
  }

  @Override protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a stream channel cannot bind");
  }

  @Override protected void doDisconnect() {
    doClose();
  }

  @Override protected void doClose() {
    if (!open) return;
    open = false;
    stream.closeWrite();
  }

  @Override protected void doBeginRead() {
    // Reads are pushed as the stream delivers them; the stream's own window is the flow control.
  }

  @Override protected void doWrite(ChannelOutboundBuffer in) {
    while (true) {
      Object msg = in.current();
      if (msg == null) return;
      if (msg instanceof ByteBuf buf) {
        stream.write(buf.retain()).whenComplete((v, e) -> {
          if (e != null) onLoop(() -> close(), null);
        });
        in.remove();
      } else {
        in.remove(new UnsupportedOperationException("a stream channel writes ByteBufs, not " + msg.getClass().getName()));
      }
    }
  }

  @Override protected Object filterOutboundMessage(Object msg) {
    if (msg instanceof ByteBuf) return msg;
    ReferenceCountUtil.release(msg);
    throw new UnsupportedOperationException("a stream channel writes ByteBufs, not " + msg.getClass().getName());
  }
}
