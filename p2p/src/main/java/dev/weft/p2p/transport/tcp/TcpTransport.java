package dev.weft.p2p.transport.tcp;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.resource.ConnectionScope;
import dev.weft.p2p.resource.ResourceAware;
import dev.weft.p2p.resource.ResourceLimits;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.resource.netty.InboundGate;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.Transport;
import dev.weft.p2p.yamux.YamuxSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p over TCP on Netty (epoll where available, else NIO): every connection, dialled or
 * accepted, is upgraded with multistream-select → Noise XX → (inlined or multistream-selected)
 * Yamux before the host sees it. See {@link ConnectionUpgrader}.
 *
 * <p>Addresses: {@code /ip4|ip6|dns|dns4|dns6/HOST/tcp/PORT}, optionally ending in {@code /p2p/ID}
 * (the peer the remote must prove to be). Thread-safe. {@link #close()} closes listeners and
 * connections, and the event loops if the transport created them.
 */
public final class TcpTransport implements Transport, ResourceAware {
  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
  /** Outbound bytes Netty may queue per connection before the channel reports unwritable. */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
  private static final Set<Protocol> HOSTS = Set.of(Protocol.IP4, Protocol.IP6, Protocol.DNS, Protocol.DNS4, Protocol.DNS6);

  private final PrivKey identity;
  private final TcpTransportConfig config;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final boolean epoll;
  private final SecureRandom random = new SecureRandom();
  private final X25519KeyPair staticKey;
  private final ChannelGroup channels = new DefaultChannelGroup("weft-tcp", GlobalEventExecutor.INSTANCE);
  private volatile ResourceManager resources;
  private volatile boolean closed;
  private volatile boolean inlineMuxer = true;

  public TcpTransport(PrivKey identity) {
    this(identity, TcpTransportConfig.DEFAULT);
  }

  public TcpTransport(PrivKey identity, TcpTransportConfig config) {
    this(identity, config, null);
  }

  /**
   * @param group event loops to run on, owned by the caller; null to create (and own) a group.
   *     A caller-supplied group must match the transport kind (epoll or NIO) chosen here.
   */
  public TcpTransport(PrivKey identity, TcpTransportConfig config, EventLoopGroup group) {
    this.identity = identity;
    this.config = config;
    this.epoll = group == null ? Epoll.isAvailable() : isEpollGroup(group);
    this.ownsGroup = group == null;
    this.group = group != null ? group : new MultiThreadIoEventLoopGroup(config.ioThreads(), ioHandlerFactory());
    this.staticKey = X25519KeyPair.generate(random);
    // Until a host hands us its manager: the default limits, with this config's pending cap.
    this.resources = ResourceManager.withSystemClock(ResourceLimits.DEFAULT.withMaxPendingInbound(config.maxPendingInbound()));
  }

  @Override public void useResourceManager(ResourceManager manager) {
    this.resources = manager;
  }

  /** The resource manager inbound connections are admitted by. */
  public ResourceManager resourceManager() {
    return resources;
  }

  private static boolean isEpollGroup(EventLoopGroup g) {
    return g instanceof MultiThreadIoEventLoopGroup m && m.isIoType(EpollIoHandler.class);
  }

  private IoHandlerFactory ioHandlerFactory() {
    return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /**
   * Whether to offer our muxer in the Noise handshake (inlined muxer negotiation). On by default;
   * tests turn it off to exercise the multistream-selected muxer that peers without the extension use.
   */
  void setInlineMuxer(boolean inline) {
    this.inlineMuxer = inline;
  }

  /** The event loop group connections run on. */
  public EventLoopGroup eventLoopGroup() {
    return group;
  }

  @Override public boolean handles(Multiaddr address) {
    List<Multiaddr.Component> c = address.components();
    if (c.size() < 2 || c.size() > 3) return false;
    if (!HOSTS.contains(c.get(0).protocol()) || c.get(1).protocol() != Protocol.TCP) return false;
    return c.size() == 2 || c.get(2).protocol() == Protocol.P2P;
  }

  @Override public CompletableFuture<Multiaddr> listen(Multiaddr address, ConnectionSink sink) {
    CompletableFuture<Multiaddr> f = new CompletableFuture<>();
    if (closed || !handles(address)) {
      f.completeExceptionally(new IllegalArgumentException(closed ? "transport closed" : "not a TCP address: " + address));
      return f;
    }
    InetSocketAddress bindAddress = address.toInetSocketAddress();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override protected void initChannel(SocketChannel ch) {
            accept(ch, sink);
          }
        });
    ChannelFuture bind = b.bind(bindAddress);
    bind.addListener(x -> {
      if (!x.isSuccess()) {
        f.completeExceptionally(x.cause());
        return;
      }
      Channel server = bind.channel();
      channels.add(server);
      // The address asked for with the port the system chose: an epoll socket is dual-stack, so
      // one bound to 0.0.0.0 reports its local address as ::, which would advertise IPv6 only.
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      f.complete(Multiaddr.tcp(new InetSocketAddress(bindAddress.getAddress(), port)));
    });
    return f;
  }

  private void accept(SocketChannel ch, ConnectionSink sink) {
    if (closed) {
      ch.close();
      return;
    }
    ResourceManager rm = resources;
    ConnectionScope scope = InboundGate.admit(ch, rm);
    if (scope == null) return;
    channels.add(ch);
    ConnectionUpgrader up = new ConnectionUpgrader(ch, false, identity, staticKey, random, null, sink.router(), config, inlineMuxer);
    up.result().whenComplete((session, e) -> {
      if (e != null) return;
      if (!InboundGate.upgraded(ch, scope, session.remotePeer(), session.id())) return;
      session.useResources(rm);
      try {
        sink.accepted(session);
      } catch (RuntimeException ex) {
        LOG.warn("connection sink threw on {}; closing it", session, ex);
        session.close();
      }
    });
    up.start();
  }

  @Override public CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer, StreamRouter router) {
    CompletableFuture<Connection> f = new CompletableFuture<>();
    if (closed || !handles(address)) {
      f.completeExceptionally(new IllegalArgumentException(closed ? "transport closed" : "not a TCP address: " + address));
      return f;
    }
    PeerId inAddress = address.peerId().orElse(null);
    if (expectedPeer != null && inAddress != null && !expectedPeer.equals(inAddress)) {
      f.completeExceptionally(new IllegalArgumentException("address names " + inAddress + " but " + expectedPeer + " was expected"));
      return f;
    }
    PeerId expected = expectedPeer != null ? expectedPeer : inAddress;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            ConnectionUpgrader up = new ConnectionUpgrader(ch, true, identity, staticKey, random, expected, router, config, inlineMuxer);
            up.result().whenComplete((YamuxSession session, Throwable e) -> {
              if (e != null) {
                f.completeExceptionally(e);
              } else {
                session.useResources(resources);
                f.complete(session);
              }
            });
            up.start();
          }
        });
    b.connect(address.toInetSocketAddress()).addListener((ChannelFuture x) -> {
      if (!x.isSuccess()) f.completeExceptionally(x.cause());
    });
    return f;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownsGroup) group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
