package dev.weft.p2p.protocol.ping;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ping for one host: answers {@code /ipfs/ping/1.0.0} (at most
 * {@link PingProtocol#MAX_INBOUND_STREAMS_PER_PEER} streams per peer) and measures round trips.
 * Randomness and the fine-grained clock are injected so simulations repeat. Thread-safe.
 */
public final class PingService {
  private static final Logger LOG = LoggerFactory.getLogger(PingService.class);

  private final Host host;
  private final Scheduler scheduler;
  private final Random random;
  private final LongSupplier nanos;
  private final Map<PeerId, AtomicInteger> inbound = new ConcurrentHashMap<>();

  private PingService(Host host, Scheduler scheduler, Random random, LongSupplier nanos) {
    this.host = host;
    this.scheduler = scheduler;
    this.random = random;
    this.nanos = nanos;
    host.setStreamHandler(PingProtocol.ID, this::handle);
  }

  /** Ping as a host service: payloads from the context's random, round trips on its clock. */
  public static ServiceFactory<PingService> factory() {
    return context -> new PingService(context.host(), context.scheduler(), context.random(), context::nowNanos);
  }

  /**
   * Installs ping on {@code host} with its own randomness and clock.
   *
   * @param random source of ping payloads (a simulation's seeded random)
   * @param nanos a monotonic nanosecond clock for round trips (virtual time in simulations)
   */
  public static PingService install(Host host, Random random, LongSupplier nanos) {
    return host.install(context -> new PingService(context.host(), context.scheduler(), random, nanos));
  }

  private void handle(Stream stream) {
    PeerId peer = stream.remotePeer();
    AtomicInteger n = inbound.computeIfAbsent(peer, p -> new AtomicInteger());
    if (n.incrementAndGet() > PingProtocol.MAX_INBOUND_STREAMS_PER_PEER) {
      n.decrementAndGet();
      LOG.debug("refusing ping stream from {}: {} already open", peer, PingProtocol.MAX_INBOUND_STREAMS_PER_PEER);
      stream.reset();
      return;
    }
    stream.setHandler(new PingHandler(scheduler, stream, () -> {
      if (n.decrementAndGet() == 0) inbound.remove(peer, n);
    }));
  }

  /** Pings {@code peer} {@code count} times on one stream; completes with the round trips in ms. */
  public CompletableFuture<List<Double>> ping(PeerId peer, int count) {
    checkCount(count);
    return host.newStream(peer, List.of(PingProtocol.ID)).thenCompose(s -> new PingClient(scheduler, random, nanos, count).start(s));
  }

  /** Same, on a given connection. */
  public CompletableFuture<List<Double>> ping(Connection connection, int count) {
    checkCount(count);
    return connection.newStream(List.of(PingProtocol.ID)).thenCompose(s -> new PingClient(scheduler, random, nanos, count).start(s));
  }

  private static void checkCount(int count) {
    if (count < 1 || count > PingProtocol.MAX_COUNT) throw new IllegalArgumentException("count must be in 1.." + PingProtocol.MAX_COUNT + ": " + count);
  }
}
