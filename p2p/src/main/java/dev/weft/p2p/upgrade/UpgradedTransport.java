package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ProtocolHandler;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multistream.MultistreamHandler;
import dev.weft.p2p.noise.NoiseHandshakeHandler;
import dev.weft.p2p.noise.X25519KeyPair;
import dev.weft.p2p.resource.ResourceAware;
import dev.weft.p2p.resource.ResourceManager;
import dev.weft.p2p.time.NanoClock;
import dev.weft.p2p.transport.ConnectionSink;
import dev.weft.p2p.transport.StreamRouter;
import dev.weft.p2p.transport.Transport;
import dev.weft.p2p.transport.memory.MemoryNetwork;
import dev.weft.p2p.yamux.YamuxConfig;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real upgrade stack over another transport's connections: each carrier connection carries
 * one stream ({@value #CARRIER}) in which the {@link UpgradePipeline} runs multistream-select,
 * Noise and Yamux, and the host sees only the upgraded connection. Over the memory transport on a
 * {@link SchedulerEventLoop} this is the real stack in a deterministic simulation: the bytes of
 * every negotiation, handshake and Yamux frame cross the simulated links, with their latency,
 * loss and bandwidth. The carrier's own identity check is not relied on: Noise authenticates.
 *
 * <p>Lifetimes: closing the upgraded connection closes its carrier; the carrier ending ends the
 * stream, which closes the upgraded connection.
 *
 * <p>Resources: a host hands its {@link ResourceManager} over ({@link ResourceAware}), and every
 * upgraded connection's muxer charges it, as over TCP; the host's stream limits apply anyway,
 * since inbound streams go through its router.
 */
public final class UpgradedTransport implements Transport, ResourceAware {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradedTransport.class);
  /** The carrier stream's protocol id. */
  public static final String CARRIER = "/weft/carrier/1.0.0";

  private final Transport carrier;
  private final UpgradePipeline pipeline;
  private final Supplier<EventLoop> loops;
  private final NanoClock clock;
  private volatile ResourceManager resources;

  /**
   * @param loops the event loop of each upgraded connection (one {@link SchedulerEventLoop} for a
   *     simulation; a {@code DefaultEventLoopGroup::next} on real time)
   */
  public UpgradedTransport(Transport carrier, UpgradePipeline pipeline, Supplier<EventLoop> loops, NanoClock clock) {
    this.carrier = carrier;
    this.pipeline = pipeline;
    this.loops = loops;
    this.clock = clock;
  }

  /**
   * The real stack (multistream, Noise, Yamux, default timeouts) over {@code network}'s memory
   * transport, on the network's scheduler, which must be caller-driven (a simulation's).
   */
  public static UpgradedTransport simulated(MemoryNetwork network, PrivKey identity) {
    SecureRandom random = new SecureRandom();
    UpgradePipeline stack = UpgradePipeline.noiseYamux(identity, X25519KeyPair.generate(random), random, YamuxConfig.DEFAULT,
        MultistreamHandler.DEFAULT_TIMEOUT_MILLIS, NoiseHandshakeHandler.DEFAULT_TIMEOUT_MILLIS, SIMULATED_UPGRADE_TIMEOUT_MILLIS, true);
    SchedulerEventLoop loop = new SchedulerEventLoop(network.scheduler());
    return new UpgradedTransport(network.transport(PeerId.fromPublicKey(identity.publicKey())), stack, () -> loop,
        network.scheduler()::nowNanos);
  }

  /** The whole upgrade in a simulation, as over TCP. */
  public static final long SIMULATED_UPGRADE_TIMEOUT_MILLIS = 20_000;

  @Override public void useResourceManager(ResourceManager manager) {
    this.resources = manager;
  }

  @Override public boolean handles(Multiaddr address) {
    return carrier.handles(address);
  }

  @Override public CompletableFuture<Multiaddr> listen(Multiaddr address, ConnectionSink sink) {
    ProtocolHandler onCarrier = s -> upgrade(s, false, null, sink.router()).whenComplete((c, e) -> {
      if (e != null) {
        LOG.debug("inbound upgrade over {} failed: {}", s.connection(), e.toString());
        return;
      }
      sink.accepted(c);
    });
    return carrier.listen(address, new ConnectionSink() {
      @Override public StreamRouter router() {
        return carrierRouter(onCarrier);
      }

      @Override public void accepted(Connection connection) {
        // The host gets the upgraded connection, made when the carrier stream arrives.
      }
    });
  }

  @Override public CompletableFuture<Connection> dial(Multiaddr address, PeerId expectedPeer, StreamRouter router) {
    return carrier.dial(address, null, carrierRouter(null)).thenCompose(c -> c.newStream(List.of(CARRIER))
        .thenCompose(s -> upgrade(s, true, expectedPeer, router))
        .whenComplete((inner, e) -> {
          if (e != null) c.close();
        }));
  }

  private CompletableFuture<Connection> upgrade(Stream s, boolean initiator, PeerId expectedPeer, StreamRouter router) {
    return StreamChannel.upgrade(s, null, initiator, expectedPeer, router, pipeline, loops.get(), clock, resources).thenApply(inner -> {
      Connection outer = s.connection();
      inner.closeFuture().whenComplete((v, e) -> outer.close());
      return inner;
    });
  }

  private static StreamRouter carrierRouter(ProtocolHandler onCarrier) {
    return new StreamRouter() {
      @Override public List<String> protocols() {
        return onCarrier == null ? List.of() : List.of(CARRIER);
      }

      @Override public ProtocolHandler handler(String protocolId) {
        return onCarrier != null && CARRIER.equals(protocolId) ? onCarrier : null;
      }
    };
  }

  @Override public void close() {
    carrier.close();
  }

  @Override public String toString() {
    return pipeline + " over " + carrier;
  }
}
