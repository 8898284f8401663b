package dev.weft.p2p.api;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.time.Clock;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a host gives every protocol service it installs ({@link Host#install}): the host's public
 * api, its serial scheduler and clocks, its randomness, its event bus, its lifecycle, its peer
 * store and its resource accounting. A service written against this alone runs on a real host and
 * in a simulation alike, and needs no concrete host class.
 *
 * <p>Time and randomness come only from here ({@link #scheduler()}, {@link #nowNanos()},
 * {@link #random()}): on a simulation's virtual time they are deterministic given its seed.
 * Thread-safe.
 */
public interface ServiceContext {
  /** The host's public api: identity, handlers, dialling, connections. */
  Host host();

  /** The host's serial executor and millisecond clock; event listeners run on it too. */
  Scheduler scheduler();

  default Clock clock() {
    return scheduler();
  }

  /** A monotonic nanosecond clock for round trips and throughput (virtual time in simulations). */
  long nowNanos();

  /**
   * Calendar milliseconds since the Unix epoch, for values that must keep growing across restarts
   * (a signed peer record's sequence number) — never for deadlines (use {@link #scheduler()}).
   * The system clock by default; what the host builder was given in simulations.
   */
  long wallClockMillis();

  /** Randomness for protocol payloads and jitter (seeded in simulations). */
  Random random();

  /** The host's peer store. */
  default PeerStore peerStore() {
    return host().peerStore();
  }

  /** Publishes {@code event} to every subscriber of the host, in order, on the scheduler. */
  void emit(HostEvent event);

  /** Subscribes to the host's events; the subscription ends when the host closes, or with the handle. */
  AutoCloseable subscribe(Consumer<HostEvent> listener);

  /** Runs {@code listener} on the scheduler whenever the host's set of protocols changes. */
  void onProtocolsChanged(Runnable listener);

  /** Closes {@code resource} when the host closes (before the services installed earlier). */
  void onClose(AutoCloseable resource);

  /** Where this service accounts for what peers make it hold. */
  ResourceScope resources();

  /** A service installed earlier on this host, by type (a DHT asks for ping). */
  <S> Optional<S> service(Class<S> type);

  // ---- connections a service makes (circuit relay): the host keeps them as its own ----

  /**
   * Lets {@link Host#dial} reach addresses no transport handles ({@code /p2p-circuit} through a
   * relay): the host asks {@code dialer} for them and admits what it yields as it admits a
   * transport's connections (limits, events, one connection per peer).
   */
  void addDialer(ConnectionDialer dialer);

  /**
   * Admits an inbound connection this service made (a relayed one, upgraded inside a stream) into
   * the host's table, with the host's limits and a {@link HostEvent.PeerConnected} event. Returns
   * false if the host refused it; it is then closed.
   */
  boolean adopt(Connection connection);

  /**
   * The host's handler for an inbound stream of {@code protocolId} on a connection this service
   * made, with the host's stream limits and accounting; null if no such protocol is registered.
   * What a connection upgraded by a service routes its inbound streams to.
   */
  ProtocolHandler inboundHandler(String protocolId);

  /** Adds {@code addresses} (asked each time) to what {@link Host#advertisedAddresses} returns. */
  void advertise(Supplier<List<Multiaddr>> addresses);
}
