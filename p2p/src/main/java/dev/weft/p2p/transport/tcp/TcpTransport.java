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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p over TCP on Netty (epoll where available, else NIO): every connection, dialled or
 * accepted, is upgraded with multistream-select → Noise XX → (inlined or multistream-selected)
 * Yamux before the host sees it. See {@link ConnectionUpgrader}.
 *
 * <p>Addresses: {@code /ip4|ip6|dns|dns4|dns6/HOST/tcp/PORT}, optionally ending in {@code /p2p/ID}
 * (the peer the remote must prove to be).
 *
 * <p>Port reuse ({@link TcpTransportConfig#reusePort}, on by default where the platform has
 * SO_REUSEPORT): listeners are bound with SO_REUSEADDR + SO_REUSEPORT and dials leave from a
 * listen port ({@link #localFor}), so a port-preserving NAT gives our outbound connections the
 * external port peers dial us at, and {@link #dialSimultaneous} can punch a hole. Thread-safe. {@link #close()} closes listeners and
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
  /**
   * Inbound connections still upgrading, by remote address: a hole punch's client may find the
   * server's SYN already accepted by its listener ({@link #dialSimultaneous}).
   */
  private final Map<InetSocketAddress, Channel> upgradingInbound = new ConcurrentHashMap<>();
  /** Client-role hole punches whose connect failed before the peer's accepted SYN was registered here. */
  private final Map<InetSocketAddress, CompletableFuture<Channel>> awaitingInbound = new ConcurrentHashMap<>();
  /** How long such a punch waits for the accept to show up: the accept is already done in the kernel. */
  static final long ACCEPT_RACE_MILLIS = 500;
  /** What our listeners are bound to (port resolved), for dials that leave from a listen port. */
  private final List<InetSocketAddress> listeners = new CopyOnWriteArrayList<>();
  private final boolean reusePort;
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
    this.reusePort = config.reusePort() && PortReuse.supported(epoll);
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
    if (reusePort) PortReuse.applyToListener(b, epoll);
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
      InetSocketAddress bound = new InetSocketAddress(bindAddress.getAddress(), port);
      listeners.add(bound);
      server.closeFuture().addListener(c -> listeners.remove(bound));
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
    InetSocketAddress from = ch.remoteAddress();
    if (from != null) {
      upgradingInbound.put(from, ch);
      CompletableFuture<Channel> waiting = awaitingInbound.remove(from);
      if (waiting != null) waiting.complete(ch);
    }
    ConnectionUpgrader up = new ConnectionUpgrader(ch, false, identity, staticKey, random, null, sink.router(), config, inlineMuxer);
    up.result().whenComplete((session, e) -> {
      if (from != null) upgradingInbound.remove(from, ch);
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
    String refused = refusal(address, expectedPeer);
    if (refused != null) return CompletableFuture.failedFuture(new IllegalArgumentException(refused));
    CompletableFuture<Connection> f = new CompletableFuture<>();
    PeerId expected = expectedPeer != null ? expectedPeer : address.peerId().orElse(null);
    InetSocketAddress remote = address.toInetSocketAddress();
    InetSocketAddress local = reusePort ? localFor(remote) : null;
    dialFrom(remote, local, true, expected, router, local != null, f);
    return f;
  }

  @Override public CompletableFuture<Connection> dialFromEphemeralPort(Multiaddr address, PeerId expectedPeer, StreamRouter router) {
    String refused = refusal(address, expectedPeer);
    if (refused != null) return CompletableFuture.failedFuture(new IllegalArgumentException(refused));
    CompletableFuture<Connection> f = new CompletableFuture<>();
    dialFrom(address.toInetSocketAddress(), null, true, expectedPeer != null ? expectedPeer : address.peerId().orElse(null), router, false, f);
    return f;
  }

  @Override public CompletableFuture<Connection> dialSimultaneous(Multiaddr address, PeerId expectedPeer, StreamRouter router, boolean client) {
    String refused = refusal(address, expectedPeer);
    if (refused != null) return CompletableFuture.failedFuture(new IllegalArgumentException(refused));
    CompletableFuture<Connection> f = new CompletableFuture<>();
    PeerId expected = expectedPeer != null ? expectedPeer : address.peerId().orElse(null);
    InetSocketAddress remote = address.toInetSocketAddress();
    InetSocketAddress local = reusePort ? localFor(remote) : null;
    if (local == null) {
      f.completeExceptionally(new UnsupportedOperationException(reusePort
          ? "no listener to dial " + remote + " from" : "port reuse is off or unsupported here: cannot dial from the listen port"));
      return f;
    }
    if (!client) {
      dialFrom(remote, local, false, expected, router, false, f);
      return f;
    }
    // The server's SYN may have reached our listener before we dialled (no NAT in front of us
    // dropped it): then the kernel gave that four-tuple to an accepted connection, our connect
    // fails, and both ends are upgrading as responders. Reset the accepted one (no TIME_WAIT) and
    // dial once more: the peer's listener accepts us, as the server it is meant to be.
    CompletableFuture<Connection> first = new CompletableFuture<>();
    dialFrom(remote, local, true, expected, router, false, first);
    first.whenComplete((c, e) -> {
      if (c != null) {
        f.complete(c);
        return;
      }
      if (!PortReuse.localAddressTrouble(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e)) {
        f.completeExceptionally(e);
        return;
      }
      Channel accepted = upgradingInbound.remove(remote);
      if (accepted != null) {
        redialAfterReset(accepted, remote, local, expected, router, f);
        return;
      }
      // The kernel accepted the peer's SYN, but that accept runs on another event loop and may not
      // have registered the channel yet: wait a moment for it instead of failing, or both ends go
      // on upgrading as responders and the attempt is lost (DcutrIT saw it one run in two).
      CompletableFuture<Channel> waiting = new CompletableFuture<>();
      awaitingInbound.put(remote, waiting);
      Channel late = upgradingInbound.remove(remote);
      if (late != null) {
        awaitingInbound.remove(remote, waiting);
        redialAfterReset(late, remote, local, expected, router, f);
        return;
      }
      group.schedule(() -> {
        if (awaitingInbound.remove(remote, waiting)) f.completeExceptionally(e);
      }, ACCEPT_RACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
      waiting.thenAccept(ch -> {
        upgradingInbound.remove(remote, ch);
        redialAfterReset(ch, remote, local, expected, router, f);
      });
    });
    return f;
  }

  private void redialAfterReset(Channel accepted, InetSocketAddress remote, InetSocketAddress local, PeerId expected, StreamRouter router,
      CompletableFuture<Connection> f) {
    LOG.debug("hole punch to {}: its SYN reached our listener first; resetting that connection and dialling again", remote);
    accepted.config().setOption(ChannelOption.SO_LINGER, 0);
    accepted.close().addListener(x -> dialFrom(remote, local, true, expected, router, false, f));
  }

  /** Why {@code address} cannot be dialled expecting {@code expectedPeer}, or null if it can. */
  private String refusal(Multiaddr address, PeerId expectedPeer) {
    if (closed) return "transport closed";
    if (!handles(address)) return "not a TCP address: " + address;
    PeerId inAddress = address.peerId().orElse(null);
    if (expectedPeer != null && inAddress != null && !expectedPeer.equals(inAddress)) {
      return "address names " + inAddress + " but " + expectedPeer + " was expected";
    }
    return null;
  }

  /**
   * Connects to {@code remote} from {@code local} (null: an ephemeral port) and upgrades as
   * {@code initiator}. With {@code fallback}, a connect that fails for want of the local address
   * (the same four-tuple still in TIME_WAIT, or already connected: a second connection to one
   * peer) is retried from an ephemeral port.
   */
  private void dialFrom(InetSocketAddress remote, InetSocketAddress local, boolean initiator, PeerId expected, StreamRouter router,
      boolean fallback, CompletableFuture<Connection> f) {
    CompletableFuture<YamuxSession> upgraded = new CompletableFuture<>();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            ConnectionUpgrader up = new ConnectionUpgrader(ch, initiator, identity, staticKey, random, expected, router, config, inlineMuxer);
            up.result().whenComplete((session, e) -> {
              if (e != null) upgraded.completeExceptionally(e);
              else upgraded.complete(session);
            });
            up.start();
          }
        });
    if (local != null) PortReuse.apply(b, epoll);
    ChannelFuture connect = local != null ? b.connect(remote, local) : b.connect(remote);
    connect.addListener((ChannelFuture x) -> {
      if (!x.isSuccess()) {
        if (fallback && PortReuse.localAddressTrouble(x.cause())) {
          LOG.debug("dial of {} from {} failed ({}); dialling from an ephemeral port", remote, local, x.cause().getMessage());
          dialFrom(remote, null, initiator, expected, router, false, f);
        } else {
          f.completeExceptionally(x.cause());
        }
        return;
      }
      upgraded.whenComplete((session, e) -> {
        if (e != null) {
          f.completeExceptionally(e);
        } else {
          session.useResources(resources);
          f.complete(session);
        }
      });
    });
  }

  /**
   * The local address a dial to {@code remote} leaves from: a listener of the same family bound to
   * the unspecified address (the kernel picks the source IP by route), else one bound to a loopback
   * address when {@code remote} is loopback or to another specific address when it is not; null
   * (an ephemeral port) when none fits or {@code remote} is an unresolved name.
   */
  InetSocketAddress localFor(InetSocketAddress remote) {
    InetAddress r = remote.getAddress();
    if (r == null) return null;
    InetSocketAddress specific = null;
    for (InetSocketAddress l : listeners) {
      InetAddress a = l.getAddress();
      if ((a instanceof java.net.Inet4Address) != (r instanceof java.net.Inet4Address)) continue;
      if (a.isAnyLocalAddress()) return l;
      if (specific == null && a.isLoopbackAddress() == r.isLoopbackAddress()) specific = l;
    }
    return specific;
  }

  /** Whether an inbound connection from {@code remote} is still upgrading (tests). */
  boolean upgradingFrom(InetSocketAddress remote) {
    return upgradingInbound.containsKey(remote);
  }

  /** Whether dials leave from the listen port ({@link TcpTransportConfig#reusePort} and platform support). */
  public boolean reusesPorts() {
    return reusePort;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownsGroup) group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
